"""Question 5: Rank-3 tensors (fastbook ch. 4, question 5).

A tensor's rank is how many axes (dimensions) it has: a single number has rank 0, a
vector rank 1, a table (matrix) rank 2. A rank-3 tensor adds one more axis: think of a
pile of equally sized tables, indexed first by which table, then by row, then by column.
The chapter builds one by piling thousands of 28 x 28 digit images into a single tensor.

Part 1. Write `stack_images(images)`: given a non-empty Python list of n tensors that all
have shape (height, width), return one tensor of shape (n, height, width) whose i-th
entry along the first axis is `images[i]`.

    >>> stack_images([torch.zeros(28, 28), torch.ones(28, 28)]).shape
    torch.Size([2, 28, 28])

Part 2. Write `rank(t)`: the rank of any tensor `t`, as an int.

    >>> rank(torch.zeros(64, 28, 28))
    3

Part 3. Which of these, stored as a PyTorch tensor the way the chapter does, is a
rank-3 tensor? Set `RANK_3` to one letter:

    a) One 28 x 28 greyscale image: it has a height, a width and a brightness.
    b) A batch of 64 colour images of 28 x 28 pixels, each with 3 channels.
    c) All 6131 training 3s, each a 28 x 28 greyscale image, in one tensor.
    d) One 28 x 28 image flattened into a single row of 784 pixel values.

Graded: your stacks of random images of many sizes; the ranks you find for tensors of up
to six axes; and the letter.
"""
import torch


def stack_images(images: list[torch.Tensor]) -> torch.Tensor:
    raise NotImplementedError("turn the list of (h, w) images into one (n, h, w) tensor")


def rank(t: torch.Tensor) -> int:
    raise NotImplementedError("return how many axes t has")


RANK_3 = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, what a rank-3 tensor is.
EXPLAIN = """
"""
