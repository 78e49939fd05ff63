"""Question 25: Pseudocode for an epoch of SGD (fastbook ch. 4, question 25).

One epoch of training goes once through all the training data, one mini-batch at a
time, and improves the weights after every batch.

Write `train_epoch(model, batches, params, lr)`, one epoch of SGD, as a short loop.
`batches` is a list of `(xb, yb)` mini-batches: rows of 784 pixels, and labels that
are 1.0 for a 3 and 0.0 for a 7. `model(xb)` returns the predictions for a batch,
computed from the tensors in `params`: for the chapter's linear model
`nn.Linear(784, 1)`, params is the list [weights, bias] of its parameters.
`mnist_loss(predictions, targets)` is imported for you.
For each batch, in order: measure how wrong the model is with mnist_loss, get the
gradients, move each parameter by lr against its gradient, and clear the gradients so
that the next batch starts afresh. Change the tensors in `params` themselves (the
model reads them); return nothing.

    >>> model = nn.Linear(28 * 28, 1)
    >>> train_epoch(model, batches, list(model.parameters()), lr=1.0)   # the weights have changed

Given: `model`, `batches` of real 3s and 7s, and `params`. Graded: your parameters after an
epoch, against the chapter's loop (for several batch sizes and learning rates); and how well
a model trained for three epochs by your function tells apart 3s and 7s it never saw.
"""
import torch
from torch import nn  # noqa: F401 (for trying out train_epoch on nn.Linear(28 * 28, 1))

from fastquiz.reference import mnist_loss


def train_epoch(model, batches: list, params: list[torch.Tensor], lr: float) -> None:
    raise NotImplementedError("loop over the batches: loss, gradients, step, reset")


# Not graded: write, as pseudocode, the basic steps taken in each epoch of SGD.
EXPLAIN = """
"""
