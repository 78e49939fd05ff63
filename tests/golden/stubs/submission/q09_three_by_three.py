"""Question 9: Build, double and slice a small tensor (fastbook ch. 4, question 9).

Part 1. Write `one_to_nine()`: a 3 x 3 tensor (or numpy array) holding the whole numbers
1 to 9, filled row by row:

    1 2 3
    4 5 6
    7 8 9

Part 2. Write `doubled(t)`: a tensor of the same shape as `t` (any shape) with every
number multiplied by two.

Part 3. Write `bottom_right(t)`: the 2 x 2 block in the bottom-right corner of a matrix
`t` (a 2-d tensor with at least two rows and two columns, not necessarily square).
Slicing does it in one expression, and it has to work for any such size, not only 3 x 3:

    >>> bottom_right(doubled(one_to_nine()))
    tensor([[10, 12],
            [16, 18]])
    >>> bottom_right(torch.arange(20).view(4, 5))
    tensor([[13, 14],
            [18, 19]])

Graded: your 3 x 3 tensor; your doubling of random tensors of many shapes; and your corner
of the doubled 3 x 3 tensor and of random matrices of many sizes.
"""
import torch


def one_to_nine() -> torch.Tensor:
    raise NotImplementedError("return the 3 x 3 tensor of 1 to 9")


def doubled(t: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return t with every number doubled")


def bottom_right(t: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the bottom-right 2 x 2 block of t")


# Not graded: explain, in your own words, how you made a 3 x 3 tensor of the numbers 1
# to 9, doubled it, and picked out its bottom-right four numbers.
EXPLAIN = """
"""
