"""Question 6: Rank versus shape (fastbook ch. 4, question 6).

A tensor's shape lists the size of each of its axes; its rank is how many axes it has.
A stack of 6131 images of 28 x 28 pixels has shape (6131, 28, 28) and rank 3. A single
number stored as a tensor, such as `torch.tensor(3.5)`, has the empty shape `()`.

Answer from the shape alone, without building a tensor (the shapes below can be huge).
`shape` is a tuple of non-negative ints (or a `torch.Size`, which is a tuple).

Part 1. Write `rank_from_shape(shape)`: the rank of a tensor with that shape.

    >>> rank_from_shape((6131, 28, 28))
    3

Part 2. Write `numel_from_shape(shape)`: how many numbers a tensor of that shape holds.

    >>> numel_from_shape((6131, 28, 28))
    4806704

Graded: your ranks for many shapes, from the empty shape of a single number to six axes of
up to 1000; and your counts for the same shapes, against PyTorch's.
"""


def rank_from_shape(shape: tuple[int, ...]) -> int:
    raise NotImplementedError("return the rank of a tensor of this shape")


def numel_from_shape(shape: tuple[int, ...]) -> int:
    raise NotImplementedError("return how many numbers a tensor of this shape holds")



# Not graded: explain, in your own words, what separates a tensor's rank from its shape,
# and how the shape tells you the rank.
EXPLAIN = """
"""
