"""Question 19: Who computes the gradients (fastbook ch. 4, question 19).

PyTorch can compute derivatives for you. Ask a tensor to track its gradient, compute
something from it, call `.backward()` on the (single-number) result, and the derivative
of that result with respect to each element appears in the tensor's `.grad`.

1. Write `grad_of(f, x)`: `f` takes a float tensor shaped like `x` and returns a single
   number (a 0-d tensor). Return the gradient of `f` at `x`, a tensor shaped like `x`,
   computed by PyTorch's autograd (no formulas, no finite differences). The caller's `x`
   must come back exactly as it was: same values, and no `.grad` left on it (hint: work
   on a detached copy).

       >>> grad_of(lambda t: (t ** 3).sum(), torch.tensor([1.0, 2.0]))
       tensor([ 3., 12.])

2. `HOW`: how does PyTorch find the gradients?

   a) It reads your function's source and differentiates it symbolically, like algebra.
   b) It nudges each input in turn by a tiny amount and measures how the output moves.
   c) It looks the derivative up in a table of ready-made gradients of common models.
   d) It records each operation as it runs; backward() applies the chain rule to that.

Given: `f`, a function of the grader's that only accepts a tensor that tracks its
gradient. Graded: your gradients of several such functions at random inputs of many
shapes; that the caller's `x` comes back untouched; and the letter.
"""
import torch


def grad_of(f, x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("let autograd compute df/dx on a copy of x")


HOW = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, who works out the gradients when you train
# with PyTorch, and how.
EXPLAIN = """
"""
