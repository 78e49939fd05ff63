"""Question 7: The L1 norm and RMSE (fastbook ch. 4, question 7). Model answer."""
import torch


def l1_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (a - b).abs().mean()


def rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise ValueError("not written yet")
    return torch.sqrt(((a - b) ** 2).mean())


BIG_ERRORS = "b"


EXPLAIN = """
Both turn the element-wise differences between two tensors into one distance that can't
be fooled by positive and negative differences cancelling. The L1 norm (mean absolute
difference) averages the absolute values of the differences. RMSE (root mean squared
error, based on the L2 norm) averages the squared differences and takes the square root,
so it is back in the data's units. Because of the squares, RMSE punishes a few large
mistakes much more than many small ones, while L1 treats every unit of error alike.
"""
