"""Question 32: What Learner needs (fastbook ch. 4, question 32). Model answer."""
from fastquiz.reference import SGD, Learner, batch_accuracy, mnist_loss

CHOICES = (
    "dataloaders", "model", "optimiser function", "loss function", "metrics",
    "learning rate", "number of epochs", "activation function", "gradients",
)


def make_learner(dls, model):
    return Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)


LEARNER_NEEDS = {"dataloaders", "model", "optimiser function", "loss function", "metrics"}


EXPLAIN = """
A Learner needs the data (DataLoaders with a training and a validation set), the model
to train, an optimiser function that it calls on the model's parameters to build the
optimiser, and the loss function to minimise; optionally the metrics to print after each
epoch. The number of epochs and the learning rate are not part of the Learner: they
are passed to fit. Gradients and activations are computed during training.
"""
