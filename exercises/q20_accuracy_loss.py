"""Question 20: accuracy versus a loss SGD can follow (fastbook ch. 4, question 20).

Accuracy is what we care about, so why not let SGD maximise it directly? Look at what
happens to the accuracy when one weight, and so one prediction, changes by a tiny
amount: almost always, nothing at all.

The predictions below are raw scores (any real number; above 0 means "class 1"), shape
`(n, 1)`; targets are 0.0 or 1.0, same shape.

1. Write `smooth_loss(predictions, targets)`: a loss (a 0-d tensor) that SGD can use.
   It must
   - get smaller whenever a prediction moves towards its target's side (up for a
     target of 1, down for a target of 0), however confident it already is;
   - have a non-zero gradient with respect to every prediction, so that every item
     tells SGD something;
   - be computed with torch operations, so that `loss_gradient` below (given) can
     differentiate it.
   Any loss with these properties is accepted.

2. `WHY_NOT_ACCURACY`: why can't accuracy itself be the loss?

   a) Accuracy is too slow to compute on a GPU.
   b) Accuracy changes only when a prediction crosses the threshold, so a small change
      to the weights almost never changes it: its gradient is zero almost everywhere
      (and undefined at the jumps), which gives SGD nothing to follow.
   c) Accuracy can only be computed over the whole dataset, never on a mini-batch.
   d) Accuracy is "higher is better" and a loss must be "lower is better"; using
      1 - accuracy as the loss would solve the problem.
"""
import torch


def smooth_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return a loss that responds to every small change of the predictions")


# Given: do not change. The grader calls it to read the gradient of your loss.
def loss_gradient(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    predictions = predictions.detach().clone().requires_grad_()
    smooth_loss(predictions, targets).backward()
    return predictions.grad


WHY_NOT_ACCURACY = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, what makes accuracy unfit for SGD to minimise.
EXPLAIN = """
"""
