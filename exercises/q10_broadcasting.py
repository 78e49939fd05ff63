"""Question 10: Broadcasting (fastbook ch. 4, question 10).

When an operation gets two tensors of different shapes, PyTorch tries to broadcast
them: it behaves as if the smaller one were copied along the missing axes, without
making those copies in memory. The rule compares the two shapes from the LAST axis
backwards: two sizes fit when they are equal or when one of them is 1 (that axis is
stretched to the other size), and a shape that runs out of axes is treated as having
size 1 there. If any pair of sizes does not fit, the shapes are incompatible.

    (6131, 28, 28) with (28, 28)  ->  (6131, 28, 28)
    (3, 1)         with (4,)      ->  (3, 4)
    (3, 2)         with (3,)      ->  incompatible (2 vs 3)

Part 1. Write `distances_to(batch, image)`: for a stack of n images, shape (n, h, w),
and one image of shape (h, w), the L1 distance (mean absolute pixel difference) from
each image of the stack to `image`, a tensor of shape (n,). Let broadcasting do the
work: no `for` or `while` loops and no comprehensions.

Part 2. Write `broadcast_shape(a, b)`: given two shapes (tuples of non-negative ints),
the shape of their broadcast result as a tuple (a list will do), or None when they are
incompatible. PyTorch and numpy have helpers for this, and would apply the rule for you to
tensors of those shapes; here you apply it to the sizes yourself, with no torch or numpy in
broadcast_shape: that is what this part is about.

    >>> broadcast_shape((3, 1), (4,))
    (3, 4)
    >>> broadcast_shape((3, 2), (3,)) is None
    True

Graded: your distances for random stacks of many sizes; that no Python loop computes them
(in distances_to or in a helper); your shapes for random pairs, against numpy's rule; and that
broadcast_shape applies the rule itself.
"""
import torch


def distances_to(batch: torch.Tensor, image: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the L1 distance of every image in batch to image")


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    raise NotImplementedError("return the broadcast shape, or None")


# Not graded: explain, in your own words, what broadcasting is.
EXPLAIN = """
"""
