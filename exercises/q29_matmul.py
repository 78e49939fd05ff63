"""Question 29: The @ operator (fastbook ch. 4, question 29).

The chapter computes the predictions for a whole batch at once with `xb @ weights`.

1. Write `matmul(a, b)` for 2-dimensional tensors `a` of shape (n, k) and `b` of shape
   (k, m): return the (n, m) tensor whose entry (i, j) is the sum over p of
   a[i, p] * b[p, j]. Build it yourself, from multiplications and sums: no `@`, and no
   library function that multiplies and adds up in one call (`torch.matmul`, `mm`, `dot`,
   `einsum`, `tensordot`, `addmm`, `torch.linalg.vecdot`, numpy's, and every other one
   the grader finds in torch and numpy that does it). Python loops are allowed;
   broadcasting works too.

       >>> matmul(torch.tensor([[1., 2.], [3., 4.]]), torch.tensor([[5.], [6.]]))
       tensor([[17.],
               [39.]])

2. What does `a @ b` do in Python? Set AT to the letter of the best answer:

   a) It multiplies element by element, like `a * b`, for equal shapes.
   b) Matrix product: entry (i, j) is row i of a times column j of b, summed.
   c) It applies a decorator: `xb @ w` calls w as a function with xb as input.
   d) It flattens both tensors and returns their dot product, a single number.

Graded: your products for random matrices of many shapes; that neither matmul nor any
helper it calls uses `@` or a ready-made product; and the letter.
"""
import torch


def matmul(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the (n, m) matrix product, built without @ or matmul")


AT = None  # the letter of the best answer to part 2, e.g. "a"


# Not graded: explain, in your own words, what the @ operator does in Python.
EXPLAIN = """
"""
