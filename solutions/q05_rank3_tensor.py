"""Question 5: Rank-3 tensors (fastbook ch. 4, question 5). Model answer."""
import torch


def stack_images(images: list[torch.Tensor]) -> torch.Tensor:
    return torch.stack(images)


def rank(t: torch.Tensor) -> int:
    return t.ndim


RANK_3 = "c"


EXPLAIN = """
A rank-3 tensor is an array with three axes, so each of its numbers is found with three
indices: a stack of matrices, like a pile of pages of a spreadsheet. In the chapter,
stacking all the 28 x 28 images of one digit gives a rank-3 tensor of shape
(number of images, 28, 28): the first index picks an image, the other two a pixel.
Rank counts axes, not the numbers stored: a batch of colour images has four axes
(image, channel, row, column), so it is rank 4.
"""
