"""Question 37: Why deeper networks? (fastbook ch. 4, question 37).

The universal approximation theorem says that a network with a single hidden layer and
a nonlinearity can approximate any continuous function on a bounded range as closely as
we want, provided that hidden layer is large enough. So why stack many layers? Count
what each choice costs.

Part 1. Write `count_parameters(layer_sizes)`: the number of trainable numbers in a stack
of fully connected layers (`nn.Linear`) whose sizes are given in order, from the input to
the output. For example `[784, 30, 1]` is the chapter's simple_net: a layer from 784
inputs to 30 outputs, then one from 30 to 1 (ReLUs between them have no parameters).
Count every number SGD would update.

    >>> count_parameters([3, 2])
    8

Part 2. The "tent" function on [0, 1] rises from 0 to 1 and falls back:
tent(x) = 2x for x <= 1/2 and 2 - 2x above, which a ReLU layer writes as
tent(x) = 2 * relu(x) - 4 * relu(x - 1/2). Applied k times over, tent(tent(...(x))) is a
saw with 2**(k - 1) teeth. A net with one hidden layer of ReLUs can only bend its line
once per hidden unit, so drawing that saw takes it 2**k - 1 units. Write
`deep_saw(k)`: an `nn.Sequential` of k blocks `nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1)`
whose weights and biases you set by hand (no training, under `torch.no_grad()`), so that
for inputs x of shape `(n, 1)` in [0, 1] it outputs the tent applied k times. Then compare
its number of parameters with what one hidden layer would need, for k = 1, 2, 3 and then
larger k: for a saw of one or two teeth the deep net costs more, at k = 3 about the same,
and from there on the single layer's count doubles with every k.

What this shows is what a net of a given size can draw with the right weights, set here by
hand. Whether SGD finds such weights from random ones is another matter: retrained from
random weights, a deep saw of k = 4 usually learns nothing like it (depth makes training
harder, which later chapters deal with). Both counts, for each k, are shown with your
result.

Graded: your counts for random stacks, against PyTorch's; and your saw's outputs for k up
to 10 on a fine grid of [0, 1], with its number of parameters, which must stay far below
what a single hidden layer needs.
"""
import torch
from torch import nn


def count_parameters(layer_sizes: list[int]) -> int:
    raise NotImplementedError("count the weights and biases here")


def deep_saw(k: int) -> nn.Module:
    raise NotImplementedError("k tent blocks, with weights set by hand")


# Not graded: explain, in your own words, why we normally use more than one nonlinearity
# even though one is enough, in theory, to approximate any function.
EXPLAIN = """
"""
