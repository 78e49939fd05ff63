"""Question 36: F.relu and nn.ReLU (fastbook ch. 4, question 36). Model answer."""
import torch
import torch.nn.functional as F
from torch import nn


def relu_layer() -> nn.Module:
    return nn.ReLU()


def apply_relu(x: torch.Tensor) -> torch.Tensor:
    return F.relu(x)


EXPLAIN = """
Both compute max(x, 0). F.relu is a function: you call it on a tensor inside your own
code. nn.ReLU is a module class: you instantiate it (nn.ReLU()) to get an object that
behaves like a layer, so it can be placed in nn.Sequential or stored as an attribute of
a model, alongside layers that do have parameters. It has none itself.
"""
