"""Question 7: The L1 norm and RMSE (fastbook ch. 4, question 7).

To say how far apart two tensors of the same shape are, we need one number from all
their element-wise differences. Plain differences won't do: positive and negative ones
would cancel. Two common fixes:

- L1 norm (mean absolute difference): make every difference positive with its absolute
  value, then average them.
- RMSE (root mean squared error): square every difference, average the squares, then
  take the square root of that average, which brings the result back to the units of
  the data.

Part 1. Write `l1_distance(a, b)`: the mean absolute difference of two float tensors of
the same shape (any shape), as a scalar (a 0-d tensor or a float).

Part 2. Write `rmse(a, b)`: their root mean squared difference, as a scalar.

    >>> a, b = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0, 6.0])
    >>> l1_distance(a, b), rmse(a, b)
    (tensor(1.), tensor(1.7321))

Part 3. Two predictions have the same total absolute error: one is off by a little
everywhere, the other is exact everywhere but one place, where it is off by a lot.
Which measure gives the second one the larger score? Set `BIG_ERRORS` to one letter:

    a) L1: it adds up absolute errors, so one big error counts for more.
    b) RMSE: squaring makes one big error outweigh many small ones.
    c) Neither: both return to the units of the data, so they agree.
    d) Neither: both average over all elements, so spread can't matter.

Graded: your L1 distances on random tensors of many shapes and scales; your RMSEs on the same;
and the letter.
"""
import torch


def l1_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the mean absolute difference")


def rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the root mean squared difference")


BIG_ERRORS = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, what RMSE and the L1 norm are.
EXPLAIN = """
"""
