"""Question 6: Rank versus shape (fastbook ch. 4, question 6). Model answer."""
import math


def rank_from_shape(shape: tuple[int, ...]) -> int:
    return len(shape)


def numel_from_shape(shape: tuple[int, ...]) -> int:
    return math.prod(shape)



EXPLAIN = """
The shape is the list of sizes, one per axis: (6131, 28, 28) says there are 6131 images
of 28 rows of 28 pixels. The rank is the number of axes, i.e. the length of the shape:
here 3. Two tensors can share a rank but not a shape ((2, 3) and (28, 28) are both
rank 2). A single number has the empty shape () and so rank 0, yet it holds one value:
the number of values is the product of the sizes, which is 1 for an empty product.
"""
