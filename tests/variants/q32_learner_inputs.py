from . import Variant

MUTANTS = [
    Variant("uses the metric as the loss", old="loss_func=mnist_loss, metrics=batch_accuracy",
            new="loss_func=batch_accuracy, metrics=mnist_loss"),
    Variant("passes an optimiser object instead of the function that builds one",
            old="opt_func=SGD,", new="opt_func=SGD(model.parameters(), 1.0),"),
    Variant("thinks the learning rate is given to Learner",
            old='"loss function", "metrics"}', new='"loss function", "metrics", "learning rate"}'),
    Variant("forgets the optimiser", old='{"dataloaders", "model", "optimiser function", "loss function", "metrics"}',
            new='{"dataloaders", "model", "loss function", "metrics"}'),
]

ALTERNATIVES = [
    Variant("passes the arguments by position, metrics as a list",
            old="opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy", new="SGD, mnist_loss, [batch_accuracy]"),
    Variant("leaves out the optional metrics, spells optimizer the American way",
            old='{"dataloaders", "model", "optimiser function", "loss function", "metrics"}',
            new='["dataloaders", "model", "optimizer function", "loss function"]'),
]
