"""Question 20: Accuracy versus a loss SGD can follow (fastbook ch. 4, question 20). Model answer."""
import torch

from fastquiz.reference import mnist_loss


# Given: do not change. 1 - accuracy, as a loss autograd can run through.
def accuracy_as_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return (torch.sigmoid(predictions).round() - targets).abs().mean()


def weight_gradient(model, x: torch.Tensor, y: torch.Tensor, loss_func) -> torch.Tensor:
    model.zero_grad()
    loss_func(model(x), y).backward()
    gradient = model.weight.grad.clone()
    model.zero_grad()
    return gradient


def loss_and_accuracy_gradients(model, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return weight_gradient(model, x, y, mnist_loss), weight_gradient(model, x, y, accuracy_as_loss)


def train(model, x: torch.Tensor, y: torch.Tensor, loss_func, lr: float, steps: int) -> list[float]:
    losses = []
    for _ in range(steps):
        loss = loss_func(model(x), y)
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
                p.grad = None
        losses.append(loss.item())
    return losses


EXPLAIN = """
The gradient of the accuracy with respect to every weight is zero: a small change to a
weight moves the predictions a little, but almost never pushes one across the threshold,
so the accuracy stays exactly the same (it only jumps, where its derivative is undefined).
Training with it as the loss leaves the weights where they were, since every step is lr
times zero. A loss such as mnist_loss changes a little for every little change of a
weight, so its gradient tells SGD which way to go; accuracy stays our metric for judging
the result.
"""
