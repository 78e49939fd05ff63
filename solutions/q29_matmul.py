"""Question 29: The @ operator (fastbook ch. 4, question 29). Model answer."""
import torch


def matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (a[:, :, None] * b[None, :, :]).sum(1)


AT = "b"


EXPLAIN = """
@ is Python's matrix multiplication operator: a @ b calls a.__matmul__(b), and PyTorch
(and numpy) implement it as matrix multiplication. For an (n, k) matrix times a (k, m)
matrix, entry (i, j) of the (n, m) result is the sum of the products of row i of the
first with column j of the second. In the chapter, xb @ weights computes every image's
weighted sum of pixels in one operation, on all the rows of the batch at once.
"""
