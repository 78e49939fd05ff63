"""Question 15: Initialising the weights (fastbook ch. 4, question 15). Model answer."""
import torch

from fastquiz.reference import mnist_loss


def init_params(size, std: float = 1.0) -> torch.Tensor:
    return (torch.randn(size) * std).requires_grad_()


# Given: do not change. The grader calls it to see that your weights track their gradient.
def one_backward_pass(size):
    weights = init_params(size)
    (weights ** 2).sum().backward()
    return weights, weights.grad


def hidden_gradients(w1: torch.Tensor, w2: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    w1 = w1.detach().clone().requires_grad_()
    mnist_loss(torch.relu(x @ w1) @ w2, y).backward()
    return w1.grad


EXPLAIN = """
We give them random values: numbers drawn from a normal distribution with mean 0,
often scaled down by a small standard deviation, and mark the tensor with
requires_grad_() so that PyTorch records how the loss depends on it. Their exact values
hardly matter, because SGD will change them; for the one-output linear model even zeros
would do. Once a layer has several units, though, equal starting values would give every
unit the same gradient, so they would stay identical forever: random values break that
symmetry. They should also be small enough that the first outputs don't explode.
"""
