"""Question 18: What a gradient is (fastbook ch. 4, question 18). Model answer."""
import torch


def numerical_gradient(f, x: torch.Tensor, eps: float = 1e-3) -> torch.Tensor:
    grad = torch.zeros_like(x)
    for i in range(len(x)):
        up, down = x.clone(), x.clone()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad


EXPLAIN = """
A gradient tells us, for each input of a function (for us: each weight, with the loss as
the function), how much the output changes per unit change of that input when the input
moves a tiny bit. Its sign says in which direction the output goes up and its size how
steeply. Training uses it to decide how to change each weight: against the gradient, so
that the loss goes down.
"""
