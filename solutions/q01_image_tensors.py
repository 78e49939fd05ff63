"""Question 1: How images are stored as numbers (fastbook ch. 4, question 1). Model answer."""


def image_shape(height: int, width: int, colour: bool) -> tuple[int, ...]:
    if colour:
        return (3, height, width)
    return (height, width)


def bytes_needed(height: int, width: int, colour: bool) -> int:
    channels = 3 if colour else 1
    return channels * height * width


PIXEL_VALUES = "b"


EXPLAIN = """
A greyscale image is a rectangle of numbers, one per pixel, each saying how bright that
pixel is; with 8 bits per pixel the numbers run from 0 to 255 (in MNIST 0 is the black
background and 255 the brightest part of the digit). In PyTorch it becomes a rank-2
tensor of shape (height, width). A colour image stores three such rectangles, one each
for the red, green and blue intensity of every pixel, so it takes three times the
numbers; PyTorch keeps it as a (3, height, width) tensor, channels first.
"""
