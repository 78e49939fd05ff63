"""Question 16: What a loss is (fastbook ch. 4, question 16). Model answer."""
import torch


def mnist_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    predictions = predictions.sigmoid()
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


# Given: do not change. The grader calls it to read the gradient of your loss.
def loss_gradient(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    predictions = predictions.detach().clone().requires_grad_()
    mnist_loss(predictions, targets).backward()
    return predictions.grad


LOSS_IS = "c"


EXPLAIN = """
A loss is the function of the model's predictions and the targets that training tries
to make as small as possible. It is chosen for the optimiser rather than for people:
it should be lower when the predictions are better, and it should change a little when
the weights change a little, so that its gradient shows SGD which way to move each
weight. A metric such as accuracy is what we look at to judge the model; the loss is
what the machine follows.
"""
