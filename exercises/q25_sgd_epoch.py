"""Question 25: the steps of one epoch of SGD (fastbook ch. 4, question 25).

One epoch of training goes once through all the training data, one mini-batch at a
time, and improves the weights after every batch.

1. Write `train_epoch(model, batches, params, lr)`, one epoch of SGD, as a short loop.
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

   The grader checks your parameters against the reference loop's, and then checks how
   well the trained model tells apart 3s and 7s it was not trained on.

2. Put the steps that happen for each mini-batch in order. Set STEP_ORDER to a list of
   the five letters in the order they run:

   a) change each parameter by lr times its gradient, against the gradient
   b) compute the predictions for the batch with the model
   c) call backward on the loss to get the gradients
   d) reset the gradients to zero
   e) compute the loss from the predictions and the labels
"""
import torch
from torch import nn  # noqa: F401 (for trying out train_epoch on nn.Linear(28 * 28, 1))

from fastquiz.reference import mnist_loss


def train_epoch(model, batches: list, params: list[torch.Tensor], lr: float) -> None:
    raise NotImplementedError("loop over the batches: loss, gradients, step, reset")


STEP_ORDER = None  # a list of the five letters, e.g. ["a", "b", "c", "d", "e"]


# Not graded: write, as pseudocode, the basic steps taken in each epoch of SGD.
EXPLAIN = """
"""
