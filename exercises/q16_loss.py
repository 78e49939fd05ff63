"""Question 16: What a loss is (fastbook ch. 4, question 16).

The model gives each image a raw score (any real number; above 0 means "it is a 3").
To train it, we need a number that says how wrong the scores are, one that SGD can make
smaller by following its gradient: a loss. The chapter's first try compares the scores
with the targets directly: for an item whose target is 1, how far its score is below 1;
for an item whose target is 0, how far its score is above 0; then the mean over the
items. `loss_without_sigmoid` below (given: keep it as it is) is that first try.

Part 1. What goes wrong with it? Set `NEGATIVE_AT` to a score that makes
`loss_without_sigmoid` of a single 3 (target 1.0) negative. A loss below 0 would mean
"better than perfect", and SGD, which only ever makes the loss smaller, can push it
lower without end.

Part 2. Write `descend(loss_fn, target, lr, steps)`: start one score at 0.0 and take
`steps` steps of gradient descent on `loss_fn(score, target)`, where the score and the
target are `(1, 1)` tensors and each step moves the score by `lr` times its gradient,
against it. Return the list of the `steps + 1` losses as plain numbers: the one at the
start, then the one after each step. Try it on a 3 (target 1.0) with lr 1.0 and 100 steps,
with `loss_without_sigmoid` and then with your `mnist_loss`: where does each loss go?

    >>> descend(loss_without_sigmoid, 1.0, 0.5, 2)
    [1.0, 0.5, 0.0]

Part 3. Write `mnist_loss(predictions, targets)`, the chapter's loss for 3s and 7s:
squash each score into (0, 1) with the sigmoid function first, then measure as above
(how far the squashed score is below 1 for a target of 1, above 0 for a target of 0),
and return the mean as a tensor (keep it a tensor so PyTorch can compute its gradient:
`loss_gradient` below, given, is how the grader reads it). `predictions` and `targets`
have the same shape, `(n, 1)`; targets are 0.0 or 1.0. However far out the scores go,
this loss stays between 0 and 1, and it is lowest when the scores are right.

    >>> mnist_loss(torch.tensor([[0.0], [2.0]]), torch.tensor([[1.0], [0.0]]))
    tensor(0.6904)

Part 4. `LOSS_IS`: what is a loss function for?

   a) It says how well the model predicted: the number we report to judge the model.
   b) It is the model's accuracy on the validation set, measured each epoch.
   c) It is what SGD makes smaller, so it must move a little when a weight does.
   d) Any score that is lower for better models will do; smoothness doesn't matter.

Where your descents end, with each loss, is shown with your result.

Given: `loss_without_sigmoid`; predictions (raw scores) and targets of shape (n, 1).
Graded: your negative score; your descents for random targets, learning rates and numbers
of steps; your loss on random batches, of ordinary and of huge scores, against the
chapter's; the direction of its gradient for every item (read by `loss_gradient`, which
must stay as it is); and the letter.
"""
import torch


# Given: do not change. The chapter's first try, without the sigmoid.
def loss_without_sigmoid(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


NEGATIVE_AT = None  # a score (a number) at which loss_without_sigmoid of a 3 is below 0


def descend(loss_fn, target: float, lr: float, steps: int) -> list[float]:
    raise NotImplementedError("gradient descent on one score, from 0.0; return the steps + 1 losses")


def mnist_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("sigmoid, then the distance from each target, then the mean")


# Given: do not change. The grader calls it to read the gradient of your loss.
def loss_gradient(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    predictions = predictions.detach().clone().requires_grad_()
    mnist_loss(predictions, targets).backward()
    return predictions.grad


LOSS_IS = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, what "loss" is.
EXPLAIN = """
"""
