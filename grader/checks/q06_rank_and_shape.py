"""Checks for question 6: rank and number of elements from a shape; rank of a scalar."""
import math
import numbers

import torch
from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, Question

QUESTION = Question(
    title="Rank versus shape",
    source=6,
    hints=[
        "rank_from_shape: the shape has one entry per axis, so the rank is how many entries it has. "
        "numel_from_shape: multiply the sizes together, without building a tensor; think about what an empty "
        "product is.",
        "rank_from_shape is `len(shape)` and numel_from_shape `math.prod(shape)` (1 for the empty shape of a "
        "scalar, whose rank is 0). (2, 3) and (28, 28) are both rank 2.",
    ],
)


# Shapes, sometimes as a torch.Size; sizes up to 1000 on up to 6 axes: far too many values to build a
# tensor of that shape, yet few enough to count in an int64, as PyTorch does.
SHAPES = st.tuples(st.lists(st.integers(0, 1000), max_size=6), st.booleans())


def _shape(sizes: list[int], as_size: bool):
    return torch.Size(sizes) if as_size else tuple(sizes)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(SHAPES)
@example(([], False))  # a single number: no axes, rank 0
def test_rank_is_the_number_of_axes(student, drawn):
    """Graded: "your ranks for many shapes, from the empty shape of a single number to six axes of up to 1000".
    Rule: "`shape` is a tuple of non-negative ints (or a `torch.Size`, which is a tuple)"."""
    shape = _shape(*drawn)
    got = student.function("rank_from_shape")(shape)
    expected = len(shape)
    assert _is_number(got) and got == expected, (
        f"rank_from_shape({shape!r}) returned {got!r}, expected {expected}: the rank counts the axes, "
        "whatever their sizes"
    )


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(SHAPES)
@example(([], False))  # a single number: no axes, yet one value
@example(([1000] * 6, True))  # 10**18 numbers: a tensor of that shape can't be built
def test_numel_multiplies_the_sizes(student, drawn):
    """Graded: "your counts for the same shapes, against PyTorch's". Rule: "Answer from the shape alone, without
    building a tensor (the shapes below can be huge)"."""
    shape = _shape(*drawn)
    got = student.function("numel_from_shape")(shape)
    expected = math.prod(shape)
    assert _is_number(got) and got == expected, (
        f"numel_from_shape({shape!r}) returned {got!r}, expected {expected}"
        + (": a scalar has no axes but still holds one number" if not shape else "")
    )
