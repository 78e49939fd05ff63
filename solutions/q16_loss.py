"""Question 16: What a loss is (fastbook ch. 4, question 16). Model answer."""
import torch


# Given: do not change. The chapter's first try, without the sigmoid.
def loss_without_sigmoid(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


NEGATIVE_AT = 3.0


def descend(loss_fn, target: float, lr: float, steps: int) -> list[float]:
    score, targets = torch.zeros(1, 1, requires_grad=True), torch.full((1, 1), target)
    losses = []
    for _ in range(steps):
        loss = loss_fn(score, targets)
        loss.backward()
        with torch.no_grad():
            score -= lr * score.grad
        score.grad = None
        losses.append(loss.item())
    losses.append(loss_fn(score, targets).item())
    return losses


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
weight. Without the sigmoid, the chapter's first loss rewards a score of 3 for a 3 more
than a score of 1, going below zero: gradient descent then pushes the score up forever
(the loss falls by lr at every step). With the sigmoid, the loss stays between 0 and 1
and levels off near 0 once the prediction is right. A metric such as accuracy is what
we look at to judge the model; the loss is what the machine follows.
"""
