"""Question 8: Whole-tensor operations instead of Python loops (fastbook ch. 4, question 8).

A Python loop handles one number per step, and every step goes through the interpreter.
A tensor operation such as `x * 2` or `x.mean(0)` hands the whole tensor to PyTorch,
which does all the arithmetic in one call. On big tensors that is thousands of times
faster, and it is how all the chapter's code is written.

Write both functions below with tensor operations only: no `for` or `while` loops and
no comprehensions. The grader runs them on large tensors (thousands of rows).

Part 1. `column_means(x)`: for a 2-d float tensor of shape (rows, cols), the mean of
each column, shape (cols,).

    >>> column_means(torch.tensor([[1.0, 2.0], [3.0, 6.0]]))
    tensor([2., 4.])

Part 2. `scale_and_shift(x, a, b)`: every number of the tensor `x` (any shape)
multiplied by the float `a`, plus the float `b`; same shape as `x`.

    >>> scale_and_shift(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 10.0, 0.5)
    tensor([[10.5000, 20.5000],
            [30.5000, 40.5000]])

Part 3. Why is one such call so much faster than a Python loop doing the same
arithmetic? Set `WHY_FASTER` to one letter:

    a) Tensors keep fewer digits than Python floats, so each product is cheaper.
    b) The loop runs in compiled C or on the GPU, not one Python step per number.
    c) Python caches the results of earlier loop steps, but only for tensor code.
    d) Python compiles a loop after a few steps, and tensor code skips that warm-up.

Graded: your results on small and large tensors; that no Python loop runs in them (in the
functions or in any helper they use); and the letter.
"""
import torch


def column_means(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the mean of each column, without a Python loop")


def scale_and_shift(x: torch.Tensor, a: float, b: float) -> torch.Tensor:
    raise NotImplementedError("return a * x + b, without a Python loop")


WHY_FASTER = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, how tensor code runs one calculation over a
# whole array of numbers, and why that beats a Python loop by orders of magnitude.
EXPLAIN = """
"""
