"""Question 32: What Learner needs (fastbook ch. 4, question 32).

`fastquiz.reference.Learner` bundles the chapter's training loop in one object, like
fastai's: you build it once with everything the loop needs, then call `fit(n_epoch, lr)`.
Its signature is `Learner(dls, model, opt_func, loss_func, metrics)`.

Part 1. Write `make_learner(dls, model)`: return a `Learner` that trains `model` on the
DataLoaders `dls` (3s and 7s, labels 1 for a 3 and 0 for a 7, one output per image) with
the chapter's plain SGD (`SGD`), the chapter's loss (`mnist_loss`), and reports the
chapter's accuracy (`batch_accuracy`) after each epoch. (fastquiz's Learner happens to
default to these three; fastai's defaults to Adam and to a loss it picks from the data,
so there you would name them.) Don't call `fit` yourself: the check does, and then tests
your model on digits it has never seen.

    >>> learn = make_learner(dls, nn.Linear(28 * 28, 1))
    >>> learn.fit(5, lr=1.0)
    >>> learn.recorder.values[-1]        # train_loss, valid_loss, batch_accuracy
    [0.05..., 0.05..., 0.97...]

Part 2. `LEARNER_NEEDS`: the set of things you give `Learner` itself when you create it,
chosen from the phrases in `CHOICES` below (spelled as there). Metrics are optional: with
or without them is fine. Leave out anything that is given elsewhere or that Learner
finds or computes on its own.

Given: DataLoaders of 3s and 7s, and a model. Graded: how well the model your Learner
trains tells apart 3s and 7s it never saw, with make_learner leaving the training to fit;
the accuracy it reports each epoch; that it trains with the chapter's SGD and mnist_loss;
and your set.
"""
from fastquiz.reference import SGD, Learner, batch_accuracy, mnist_loss

CHOICES = (
    "dataloaders", "model", "optimiser function", "loss function", "metrics",
    "learning rate", "number of epochs", "activation function", "gradients",
)


def make_learner(dls, model):
    raise NotImplementedError("build and return the Learner here")


LEARNER_NEEDS = None  # Part 2: a set of phrases from CHOICES, e.g. {"gradients", "metrics"}


# Not graded: explain, in your own words, what information we have to pass to Learner.
EXPLAIN = """
"""
