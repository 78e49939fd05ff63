"""Question 27: What view does (fastbook ch. 4, question 27).

The chapter stacks its images into one tensor of shape (number of images, 28, 28) and
then, before the linear model can use them, turns every image into a single row of
28*28 = 784 numbers, using `view`.

1. Write `flatten_images(x)`: `x` is a tensor of shape (n, h, w), n images of h by w
   pixels, of any sizes. Return the tensor of shape (n, h*w) whose row i holds the
   pixels of image i, row after row, as `view` gives them. Don't copy the pixels: the
   result must share its memory with `x`, so that writing into it changes `x` too.

       >>> x = torch.arange(12).view(2, 2, 3)
       >>> flatten_images(x)
       tensor([[ 0,  1,  2,  3,  4,  5],
               [ 6,  7,  8,  9, 10, 11]])

2. Write `set_pixel(x, image, k, value)`: make pixel number `k` of image number `image`
   equal to `value`, where pixels are numbered as in the rows of `flatten_images`
   (0, 1, 2, ... along the first row of the image, then on along the second row...).
   Do it by writing into a flattened view of `x`, such as the result of
   `flatten_images(x)`: if that shares its memory with `x`, then `x` itself changes.
   What it returns is not used.

       >>> x = torch.zeros(2, 2, 3)
       >>> set_pixel(x, 1, 4, 9.0)
       >>> x[1]
       tensor([[0., 0., 0.],
               [0., 9., 0.]])

3. What does `view` do? Set VIEW to the letter of the best answer:

   a) Same numbers, new shape, same memory: a change through one shows in both.
   b) A reshaped copy, so the original is safe from changes to the result.
   c) It reorders the axes like a transpose: an (h, w) image viewed as (w, h) flips.
   d) It displays the tensor, for instance an image tensor as a picture on screen.

Given: `x`, images of any sizes; `write_through` (keep it as it is), which the grader
calls to see whether your rows share the images' memory. Graded: your rows for images of
many sizes, and that writing into them changes the images; your pixel writes; that
set_pixel writes through a flattened view; and the letter.
"""
import torch


def flatten_images(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return x as (n, h*w), sharing its memory")


def set_pixel(x: torch.Tensor, image: int, k: int, value: float) -> None:
    raise NotImplementedError("write value into flatten_images(x) at row image, column k")


# Given: do not change. The grader calls it to see whether your rows share x's memory.
def write_through(x: torch.Tensor) -> torch.Tensor:
    flatten_images(x).fill_(-1.0)
    return x

VIEW = None  # the letter of the best answer to part 3, e.g. "a"


# Not graded: explain, in your own words, what view does in PyTorch.
EXPLAIN = """
"""
