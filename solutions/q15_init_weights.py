"""Question 15: how the weights start (fastbook ch. 4, question 15). Model answer."""
import torch


def init_params(size, std: float = 1.0) -> torch.Tensor:
    return (torch.randn(size) * std).requires_grad_()


# Given: do not change. The grader calls it to see that your weights track their gradient.
def one_backward_pass(size):
    weights = init_params(size)
    (weights ** 2).sum().backward()
    return weights, weights.grad


WHY_RANDOM = "d"


EXPLAIN = """
We give them random values: numbers drawn from a normal distribution with mean 0,
often scaled down by a small standard deviation. Their exact values hardly matter,
because SGD will change them; what matters is that they are not all the same, so that
different units can learn different things, and that they are not so large that the
first outputs explode. The tensor is marked with requires_grad_() so that PyTorch
records how the loss depends on it.
"""
