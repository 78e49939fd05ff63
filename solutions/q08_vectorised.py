"""Question 8: Whole-tensor operations instead of Python loops (fastbook ch. 4, question 8). Model answer."""
import torch


def column_means(x: torch.Tensor) -> torch.Tensor:
    return x.mean(dim=0)


def scale_and_shift(x: torch.Tensor, a: float, b: float) -> torch.Tensor:
    return a * x + b


WHY_FASTER = "b"


EXPLAIN = """
Put the numbers in a tensor (or a numpy array) and write the calculation as operations
on the whole tensor: arithmetic, reductions such as `mean`, matrix products, comparisons,
with broadcasting where shapes differ. Each operation is then one call into compiled,
optimised C/C++ code (or a GPU kernel) that loops over contiguous memory, often in
parallel, instead of the Python interpreter paying its per-step overhead for every
number. This is what makes deep learning code practical.
"""
