"""Question 1: How images are stored as numbers (fastbook ch. 4, question 1).

To a computer an image is a grid of numbers, one or more per pixel. PyTorch (and the
chapter) keep one image in a tensor whose shape lists its axes:

- a greyscale image has one number per pixel, so its tensor has two axes,
  `(height, width)`;
- a colour image has one number per pixel for each of the red, green and blue
  channels. PyTorch puts the channel axis first: `(channels, height, width)`.

Part 1. Write `image_shape(height, width, colour)`: the shape (a tuple of ints) of the
tensor that holds one image of that size, greyscale when `colour` is False.

    >>> image_shape(28, 28, colour=False)
    (28, 28)

Part 2. Each number is stored in one byte (8 bits, values 0 to 255). Write
`bytes_needed(height, width, colour)`: how many bytes the raw pixels of one such image
take (ignore any file header or compression).

    >>> bytes_needed(2, 5, colour=False)
    10

Part 3. The MNIST digits in the chapter's dataset are greyscale PNG files. What do the
pixel values in those files mean? Set `PIXEL_VALUES` to one letter:

    a) A decimal number from 0.0 to 1.0 per pixel, where 1.0 is white paper.
    b) One byte per pixel: 0 is the black background, 255 the fullest stroke.
    c) One byte per pixel: 0 is the ink of the stroke, 255 the blank white paper.
    d) Three bytes per pixel, one each for red, green and blue, all three equal.

Graded: the shapes image_shape returns for many sizes; the bytes bytes_needed counts for many
sizes; and the letter.
"""


def image_shape(height: int, width: int, colour: bool) -> tuple[int, ...]:
    raise NotImplementedError("return the shape of one image's tensor")


def bytes_needed(height: int, width: int, colour: bool) -> int:
    raise NotImplementedError("return how many bytes the pixels take")


PIXEL_VALUES = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, how a greyscale picture is stored as numbers in
# a computer, and what changes for a colour picture.
EXPLAIN = """
"""
