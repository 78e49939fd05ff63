"""Question 36: F.relu and nn.ReLU (fastbook ch. 4, question 36).

PyTorch offers ReLU in two forms: `torch.nn.functional.relu` (usually imported as
`F.relu`) and `torch.nn.ReLU`.

Part 1. Write `relu_layer()`: return something that can sit between two layers of an
`nn.Sequential`, so that

    nn.Sequential(nn.Linear(28 * 28, 30), relu_layer(), nn.Linear(30, 1))

is the chapter's simple_net. Think about what kind of object nn.Sequential holds.

Part 2. Write `apply_relu(x)`: return the ReLU of the tensor `x`, using the form that
is a plain function call (no layer object created).

Part 3. Which statement about the two forms is right?

    a) nn.ReLU is a class: you create an instance, a module that can be a layer of a model
       such as nn.Sequential; F.relu is a plain function that you call on a tensor. Both
       compute the same thing.
    b) nn.ReLU has a learnable threshold, trained with the other weights, while F.relu
       always cuts at zero.
    c) F.relu cannot be differentiated, so it may only be used outside training, while
       nn.ReLU takes part in backpropagation.
    d) They are different functions: nn.ReLU also caps large values at one, like a sigmoid.
"""
import torch
import torch.nn.functional as F
from torch import nn


def relu_layer() -> nn.Module:
    raise NotImplementedError("return a ReLU that nn.Sequential can hold")


def apply_relu(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("apply ReLU to x as a plain function call")


TWO_FORMS = None  # Part 3: the letter of the right statement, e.g. "a"


# Not graded: explain, in your own words, the difference between F.relu and nn.ReLU.
EXPLAIN = """
"""
