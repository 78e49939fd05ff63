"""Question 33: The steps of a training loop (fastbook ch. 4, question 33).

Write `train_model(model, dls, epochs, lr)`, the chapter's training loop by hand
(no Learner, no optimiser class needed). `model` is any PyTorch module with one output
per image (for instance `nn.Linear(28 * 28, 1)`); `dls.train` yields mini-batches
`(xb, yb)` of 3s and 7s (labels 1 for a 3, 0 for a 7). For each epoch, go through the
training batches once; for each batch, compute the chapter's loss `mnist_loss` of the
model's predictions, get the gradients, and take one plain SGD step on every parameter
of the model (`p -= lr * p.grad`), making sure each step uses only its own batch's
gradient. Train `model` itself (not a copy) and return it. `dls.valid` is for measuring,
never for training.

    >>> model = train_model(nn.Linear(28 * 28, 1), dls, epochs=5, lr=1.0)
    >>> # about 97% of the validation digits are now classified correctly

Given: `model` and `dls`, whose validation labels may not be what they seem (measure on
them if you like, never train on them). Graded: how well the model you train tells apart
3s and 7s it never saw; and your parameters after two epochs (of a linear model and of
simple_net), against plain SGD's.
"""
import torch

from fastquiz.reference import mnist_loss


def train_model(model, dls, epochs: int, lr: float):
    raise NotImplementedError("write the training loop here")


# Not graded: explain, in your own words (or pseudocode), the basic steps of a training loop.
EXPLAIN = """
"""
