"""Question 16: what a loss is (fastbook ch. 4, question 16).

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

   a) It is the number we report to people to judge the model, like an error rate.
   b) It is the accuracy measured on the validation set.
   c) It is what SGD minimises, so it must respond smoothly (a little) to small changes
      of the weights: its gradient then tells us how to change them.
   d) Any function of predictions and targets that is lower for better models works as
      a loss; whether it changes smoothly does not matter.
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
