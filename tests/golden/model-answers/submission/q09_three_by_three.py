"""Question 9: Build, double and slice a small tensor (fastbook ch. 4, question 9). Model answer."""
import torch


def one_to_nine() -> torch.Tensor:
    return torch.arange(1, 10).reshape(3, 3)


def doubled(t: torch.Tensor) -> torch.Tensor:
    return t * 2


def bottom_right(t: torch.Tensor) -> torch.Tensor:
    return t[-2:, -2:]


EXPLAIN = """
`torch.arange(1, 10)` gives the numbers 1 to 9 (the end is excluded) and `.reshape(3, 3)`
lays them out row by row; writing the nested list `torch.tensor([[1, 2, 3], [4, 5, 6],
[7, 8, 9]])` works too. Multiplying by 2 doubles every element at once. Slicing picks a
block: `t[-2:, -2:]` keeps the last two rows and the last two columns, which for the 3 x 3
tensor is the same as `t[1:, 1:]`: [[10, 12], [16, 18]] after doubling.
"""
