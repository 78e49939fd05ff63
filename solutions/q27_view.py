"""Question 27: What view does (fastbook ch. 4, question 27). Model answer."""
import torch


def flatten_images(x: torch.Tensor) -> torch.Tensor:
    n, h, w = x.shape
    return x.view(-1, h * w)


def set_pixel(x: torch.Tensor, image: int, k: int, value: float) -> None:
    flatten_images(x)[image, k] = value


# Given: do not change. The grader calls it to see whether your rows share x's memory.
def write_through(x: torch.Tensor) -> torch.Tensor:
    flatten_images(x).fill_(-1.0)
    return x

VIEW = "a"


EXPLAIN = """
view returns a tensor with a different shape over the same underlying data: nothing is
copied, PyTorch only changes how the numbers in memory are indexed (the shape and the
strides). The total number of elements must stay the same, and one size may be given as
-1 to be worked out from the others, as in x.view(-1, 28*28), which turns a stack of
images into one row per image. Because the memory is shared, writing through the view
changes the original. It only works when the tensor's memory layout allows it (for
instance after a transpose you need reshape or contiguous()).
"""
