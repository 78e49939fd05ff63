"""Question 22: Loss function versus metric (fastbook ch. 4, question 22).

Training the 3-versus-7 classifier uses two kinds of score, with different jobs. The
*loss* is what the computer works with: backward differentiates it and SGD changes the
weights to make it smaller, so it has to respond to tiny changes of the weights. A
*metric* is what we people read to decide whether the model is any good (the chapter
prints the accuracy on the validation set after each epoch); it never has to be
differentiated.

Part 1. Write `batch_accuracy(preds, targets)`. `preds` are the linear model's raw
outputs (before any sigmoid), `targets` hold 1.0 for a 3 and 0.0 for a 7, both of the
same shape, (n, 1) or (n,). A prediction says "3" when its sigmoid is above 0.5. Return
the share of predictions that agree with their target, as a number between 0 and 1 (a
0-dimensional tensor or a float).

    >>> batch_accuracy(torch.tensor([[2.0], [-1.0], [0.3]]), torch.tensor([[1.0], [1.0], [0.0]]))
    tensor(0.3333)

Part 2. Write `nudge_one_weight(model, x, y, index, delta)`: for the chapter's linear
model (`nn.Linear(28 * 28, 1)`), add `delta` to the weight of pixel `index`
(`model.weight[0, index]`, in place, without tracking gradients), and return by how much
that changed the loss `mnist_loss(model(x), y)` and the metric (your batch_accuracy of
`model(x)` against `y`): two numbers, (loss after - loss before, accuracy after - accuracy
before). Try a tiny nudge and a big one: which score moves?

The changes you measure are shown with your result.

Given: `model`, a batch `x` of real 3s and 7s (rows of 784 pixels) and its labels `y`.
Graded: your accuracy on random predictions of both shapes, against the chapter's; and
the two changes you measure for tiny and large nudges of weights of a real model.
"""
import torch

from fastquiz.reference import mnist_loss


def batch_accuracy(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the share of predictions on the right side of the threshold")


def nudge_one_weight(model, x: torch.Tensor, y: torch.Tensor, index: int, delta: float) -> tuple[float, float]:
    raise NotImplementedError("nudge one weight; return (change of the loss, change of the accuracy)")


# Not graded: explain, in your own words, how a loss function differs from a metric.
EXPLAIN = """
"""
