"""Question 28: Bias parameters (fastbook ch. 4, question 28). Model answer."""
import torch


def linear1(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    return xb @ weights + bias


WHY_BIAS = "a"


EXPLAIN = """
A bias is a learned number added to a neuron's weighted sum: the b in y = w*x + b,
one per output (not one per input). Without it, the prediction for an input of all
zeros would be 0 whatever the weights, and the function the model computes would always
pass through the origin, so it could not, for instance, call a blank image a 7 with any
confidence. The bias lets the model shift its output independently of the input, which
makes it flexible enough to fit the data. Weights and bias together are the model's
parameters.
"""
