from . import Variant

MUTANTS = [
    Variant("uses the metric as the loss", old="loss_func=mnist_loss, metrics=batch_accuracy",
            new="loss_func=batch_accuracy, metrics=mnist_loss"),
    Variant("passes an optimiser object instead of the function that builds one",
            old="opt_func=SGD,", new="opt_func=SGD(model.parameters(), 1.0),"),
    Variant("leaves the optimiser, loss and metric to Learner's defaults",
            old="Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)",
            new="Learner(dls, model)"),
    Variant("trains on the validation set", old="Learner(dls, model,",
            new="Learner(type(dls)(dls.valid, dls.valid), model,"),
    Variant("thinks the learning rate is given to Learner",
            old='"loss function", "metrics"}', new='"loss function", "metrics", "learning rate"}'),
    Variant("forgets the optimiser", old='{"dataloaders", "model", "optimiser function", "loss function", "metrics"}',
            new='{"dataloaders", "model", "loss function", "metrics"}'),
]

ALTERNATIVES = [
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
