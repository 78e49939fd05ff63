"""Question 35: Activation functions (fastbook ch. 4, question 35). Model answer."""
import torch


def collapse(w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    # (x @ w1 + b1) @ w2 + b2 = x @ (w1 @ w2) + (b1 @ w2 + b2)
    return w1 @ w2, b1 @ w2 + b2


def two_layer(x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor) -> torch.Tensor:
    hidden = (x @ w1 + b1).clamp(min=0)
    return hidden @ w2 + b2


ACTIVATION = "a"


EXPLAIN = """
An activation function is a nonlinear function (such as ReLU or sigmoid) applied to the
outputs of a linear layer before they go into the next one. Without it, two linear
layers compose into one linear layer (the weights multiply, the biases combine), so
depth would add nothing; with it, stacks of layers can approximate complicated,
nonlinear functions.
"""
