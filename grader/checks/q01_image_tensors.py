"""Checks for question 1: the shape and size of an image's tensor, and what MNIST pixel values mean."""
import numbers

from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, kind

QUESTION = Question(
    title="How images are stored as numbers",
    source=1,
    hints=[
        "image_shape: a greyscale image needs one number per pixel; a colour one needs a number per pixel for "
        "each of red, green and blue, and PyTorch lists that channel axis before height and width. "
        "bytes_needed: one byte per number. PIXEL_VALUES: open one digit and look at its background.",
        "image_shape returns the tuple (height, width) for greyscale and (3, height, width) for colour; "
        "bytes_needed multiplies the three sizes (1 channel for greyscale). PIXEL_VALUES: in MNIST, 0 is the "
        "background.",
    ],
)


SIZES = st.integers(1, 512)


def _shape(got, call: str) -> tuple:
    assert isinstance(got, tuple), f"{call} should return a tuple of ints, as tensor.shape is, got {kind(got)}"
    try:
        return tuple(int(n) for n in got)
    except (TypeError, ValueError):
        raise AssertionError(f"{call} should return a tuple of ints, got {got!r}") from None


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(SIZES, SIZES)
def test_greyscale_image_has_one_axis_per_direction(student, height, width):
    """Graded: "the shapes image_shape returns for many sizes". Rules: "a greyscale image has one number per
    pixel, so its tensor has two axes", "the shape (a tuple of ints)"."""
    call = f"image_shape({height}, {width}, colour=False)"
    got = _shape(student.function("image_shape")(height, width, False), call)
    assert got == (height, width), (
        f"{call} returned {got}, expected {(height, width)}: a greyscale pixel is a single number, "
        "so the tensor needs no channel axis"
    )


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(SIZES, SIZES)
def test_colour_image_puts_its_three_channels_first(student, height, width):
    """Graded: "the shapes image_shape returns for many sizes". Rule: "PyTorch puts the channel axis first:
    `(channels, height, width)`"."""
    call = f"image_shape({height}, {width}, colour=True)"
    got = _shape(student.function("image_shape")(height, width, True), call)
    expected = (3, height, width)
    assert sorted(got) == sorted(expected), (
        f"{call} returned {got}, expected {expected}: a colour image holds 3 numbers (red, green, blue) per pixel"
    )
    assert got == expected, f"{call} returned {got}, expected {expected}: PyTorch puts the channel axis first"


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(SIZES, SIZES, st.booleans())
def test_counts_one_byte_per_number(student, height, width, colour):
    """Graded: "the bytes bytes_needed counts for many sizes". Rules: "Each number is stored in one byte",
    "one number per pixel for each of the red, green and blue channels"."""
    call = f"bytes_needed({height}, {width}, colour={colour})"
    got = student.function("bytes_needed")(height, width, colour)
    expected = (3 if colour else 1) * height * width
    assert isinstance(got, numbers.Real) and not isinstance(got, bool), \
        f"{call} should return a number of bytes, got {kind(got)}"
    assert got == expected, (
        f"{call} returned {got}, expected {expected}: each pixel takes one byte per channel"
    )


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_mnist_pixel_values_mean(student):
    """Graded: "the letter"."""
    assert_choice(student.value("PIXEL_VALUES"), "b", "abcd", "PIXEL_VALUES")
