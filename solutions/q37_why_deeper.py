"""Question 37: Why deeper networks? (fastbook ch. 4, question 37). Model answer."""
import torch
from torch import nn


def count_parameters(layer_sizes: list[int]) -> int:
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes, layer_sizes[1:]))


def tent() -> nn.Sequential:
    """2 * relu(x) - 4 * relu(x - 1/2): the tent on [0, 1]."""
    hidden, out = nn.Linear(1, 2), nn.Linear(2, 1)
    with torch.no_grad():
        hidden.weight.copy_(torch.tensor([[1.0], [1.0]]))
        hidden.bias.copy_(torch.tensor([0.0, -0.5]))
        out.weight.copy_(torch.tensor([[2.0, -4.0]]))
        out.bias.zero_()
    return nn.Sequential(hidden, nn.ReLU(), out)


def deep_saw(k: int) -> nn.Module:
    return nn.Sequential(*[layer for _ in range(k) for layer in tent()])


EXPLAIN = """
The theorem only promises that a big enough hidden layer exists; it may need an enormous
number of units. A deep net reuses what the layers before it computed: k small tent
blocks, 7 parameters each, draw a saw with 2**(k-1) teeth, where one hidden layer would
need a unit for every bend, 2**k - 1 of them. In practice deeper networks of smaller
layers reach the same accuracy with far fewer parameters, and train faster and better,
so we stack several layers with a nonlinearity between each pair.
"""
