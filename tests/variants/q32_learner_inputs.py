from . import Variant

MUTANTS = [
    Variant("uses the metric as the loss", old="loss_func=mnist_loss, metrics=batch_accuracy",
            new="loss_func=batch_accuracy, metrics=mnist_loss"),
    Variant("passes an optimiser object instead of the function that builds one",
            old="opt_func=SGD,", new="opt_func=SGD(model.parameters(), 1.0),"),
    Variant("Adam at lr 1.0 in place of the chapter's SGD", old="opt_func=SGD,",
            new="opt_func=lambda params, lr: __import__('torch').optim.Adam(params, lr),"),
    Variant("fixes the learning rate in the optimiser function, ignoring the one fit passes", old="opt_func=SGD,",
            new="opt_func=lambda params, lr: SGD(params, 0.1),"),
    Variant("binary cross-entropy in place of the chapter's mnist_loss", old="loss_func=mnist_loss,",
            new="loss_func=lambda preds, targets: __import__('torch').nn.functional.binary_cross_entropy_with_logits("
                "preds, targets),"),
    Variant("fits the Learner before returning it", old="    return Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)",
            new="    learn = Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)\n"
                "    learn.fit(1, 1.0)\n    return learn"),
    Variant("trains on the validation set", old="Learner(dls, model,",
            new="Learner(type(dls)(dls.valid, dls.valid), model,"),
    Variant("thinks the learning rate is given to Learner",
            old='"loss function", "metrics"}', new='"loss function", "metrics", "learning rate"}'),
    Variant("forgets the optimiser", old='{"dataloaders", "model", "optimiser function", "loss function", "metrics"}',
            new='{"dataloaders", "model", "loss function", "metrics"}'),
]

ALTERNATIVES = [
    Variant("the choices gathered in a dict and passed with **", old=(
        "    return Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)"), new=(
        "    choices = {\"opt_func\": SGD, \"loss_func\": mnist_loss, \"metrics\": batch_accuracy}\n"
        "    return Learner(dls, model, **choices)")),
    Variant("Learner's defaults, which are the chapter's here",
            old="Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)", new="Learner(dls, model)"),
    Variant("a helper that builds the Learner, with type hints", old=(
        "def make_learner(dls, model):\n    return Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)"),
        new=("def _build(dls, model, loss):\n    return Learner(dls, model, SGD, loss_func=loss, metrics=[batch_accuracy])\n\n\n"
             "def make_learner(dls, model) -> Learner:\n    \"\"\"The chapter's Learner.\"\"\"\n"
             "    return _build(dls, model, mnist_loss)")),
    Variant("passes the arguments by position, metrics as a list",
            old="opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy", new="SGD, mnist_loss, [batch_accuracy]"),
    Variant("leaves out the optional metrics, spells optimizer the American way",
            old='{"dataloaders", "model", "optimiser function", "loss function", "metrics"}',
            new='["dataloaders", "model", "optimizer function", "loss function"]'),
]
