"""Question 36: F.relu and nn.ReLU (fastbook ch. 4, question 36).

PyTorch offers ReLU in two forms: `torch.nn.functional.relu` (usually imported as
`F.relu`) and `torch.nn.ReLU`.

Part 1. Write `relu_layer()`: return something that can sit between two layers of an
`nn.Sequential`, so that

    nn.Sequential(nn.Linear(28 * 28, 30), relu_layer(), nn.Linear(30, 1))

is the chapter's simple_net. Think about what kind of object nn.Sequential holds.

Part 2. Write `apply_relu(x)`: return the ReLU of the tensor `x`, using the form that
is a plain function call (no layer object created).

Graded: that relu_layer's result works as a layer of nn.Sequential, with no parameters;
apply_relu's results; and that apply_relu calls the functional form.
"""
import torch
import torch.nn.functional as F
from torch import nn


def relu_layer() -> nn.Module:
    raise NotImplementedError("return a ReLU that nn.Sequential can hold")


def apply_relu(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("apply ReLU to x as a plain function call")


# Not graded: explain, in your own words, the difference between F.relu and nn.ReLU.
EXPLAIN = """
"""
