"""Question 16: What a loss is (fastbook ch. 4, question 16).

The model gives each image a raw score (any real number; above 0 means "it is a 3").
To train it, we need a number that measures how wrong the scores are, and that moves a
little whenever the weights move a little.

1. Write `mnist_loss(predictions, targets)`, the chapter's loss for 3s and 7s:
   squash each score into (0, 1) with the sigmoid function; then, for an item whose
   target is 1, its contribution is how far the squashed score is below 1, and for an
   item whose target is 0, how far it is above 0. Return the mean contribution as a
   tensor (keep it a tensor so PyTorch can compute its gradient: `loss_gradient` below,
   given, is how the grader reads it). `predictions` and `targets` have the same shape,
   `(n, 1)`; targets are 0.0 or 1.0.

       >>> mnist_loss(torch.tensor([[0.0], [2.0]]), torch.tensor([[1.0], [0.0]]))
       tensor(0.6904)

2. `LOSS_IS`: what is a loss function for?

   a) It says how well the model predicted: the number we report to judge the model.
   b) It is the model's accuracy on the validation set, measured each epoch.
   c) It is what SGD makes smaller, so it must move a little when a weight does.
   d) Any score that is lower for better models will do; smoothness doesn't matter.

Given: predictions (raw scores) and targets of shape (n, 1). Graded: your loss on random
batches against the chapter's, the direction of its gradient for every item (read by
`loss_gradient`, which must stay as it is), and the letter.
"""
import torch


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
