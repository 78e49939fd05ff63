"""Question 20: accuracy versus a loss SGD can follow (fastbook ch. 4, question 20). Model answer."""
import torch


def smooth_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    probabilities = predictions.sigmoid()
    return torch.where(targets == 1, 1 - probabilities, probabilities).mean()


# Given: do not change. The grader calls it to read the gradient of your loss.
def loss_gradient(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    predictions = predictions.detach().clone().requires_grad_()
    smooth_loss(predictions, targets).backward()
    return predictions.grad


WHY_NOT_ACCURACY = "b"


EXPLAIN = """
Accuracy only counts how many predictions land on the right side of the threshold. A
small change to a weight moves the predictions a little, but almost never pushes one
across the threshold, so the accuracy stays exactly the same: its derivative with
respect to the weights is zero nearly everywhere, and infinite or undefined at the few
points where it jumps. A gradient of zero tells SGD nothing about which way to go, so
training would not move. A loss such as the sigmoid-based mnist_loss changes a little
for every little change, which is what gradient descent needs; accuracy stays our
metric for judging the result.
"""
