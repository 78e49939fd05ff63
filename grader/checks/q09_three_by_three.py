"""Checks for question 9: the 3x3 tensor of 1..9, doubling, the bottom-right 2x2 block."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, to_tensor

QUESTION = Question(
    title="Build, double and slice a small tensor",
    source=9,
    hints=[
        "one_to_nine: `torch.arange` counts (its end is left out) and `.reshape` lays the numbers out in rows. "
        "doubled: multiplying a tensor by a number doubles every element. bottom_right: negative indices count "
        "from the end.",
        "one_to_nine is `torch.arange(1, 10).reshape(3, 3)`, doubled `t * 2`; bottom_right, the last two rows "
        "and the last two columns, is `t[-2:, -2:]`.",
    ],
)


def _show(t: torch.Tensor) -> list:
    """The values as nested lists, whole numbers without a trailing .0."""
    return t.long().tolist() if torch.equal(t, t.round()) else t.tolist()


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_one_to_nine_row_by_row(student):
    """Graded: "your 3 x 3 tensor". Rule: "holding the whole numbers 1 to 9, filled row by row"."""
    got = to_tensor(student.function("one_to_nine")(), "one_to_nine()")
    expected = torch.arange(1, 10, dtype=torch.float64).reshape(3, 3)
    assert got.shape == (3, 3), f"one_to_nine() has shape {tuple(got.shape)}, expected (3, 3)"
    if torch.equal(got, expected.T):
        raise AssertionError("one_to_nine() is filled column by column: the first row should be 1, 2, 3")
    assert torch.equal(got, expected), f"one_to_nine() returned {_show(got)}, expected {_show(expected)}"


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.lists(st.integers(1, 6), max_size=3), st.integers(0, 2**31))
def test_doubles_every_number(student, shape, seed):
    """Graded: "your doubling of random tensors of many shapes". Rule: "a tensor of the same shape as `t` (any
    shape) with every number multiplied by two"."""
    t = torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * 10
    got = student.function("doubled")(t.clone())
    assert_close(got, 2 * t, f"doubled of a random tensor of shape {tuple(shape)}")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_bottom_right_of_the_doubled_three_by_three(student):
    """Graded: "your corner of the doubled 3 x 3 tensor and of random matrices of many sizes"."""
    t = torch.arange(1, 10).reshape(3, 3) * 2
    got = to_tensor(student.function("bottom_right")(t.clone()), "bottom_right")
    expected = [[10, 12], [16, 18]]
    assert got.tolist() == expected, f"bottom_right of {t.tolist()} returned {_show(got)}, expected {expected}"


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(2, 9), st.integers(2, 9), st.integers(0, 2**31))
def test_bottom_right_of_any_matrix(student, rows, cols, seed):
    """Graded: "your corner of the doubled 3 x 3 tensor and of random matrices of many sizes". Rules: "a 2-d
    tensor with at least two rows and two columns, not necessarily square", "it has to work for any such size,
    not only 3 x 3"."""
    t = torch.randint(-99, 100, (rows, cols), generator=torch.Generator().manual_seed(seed))
    got = to_tensor(student.function("bottom_right")(t.clone()), "bottom_right")
    expected = t[rows - 2:, cols - 2:].double()
    assert got.shape == (2, 2), (
        f"bottom_right of a {rows} x {cols} matrix has shape {tuple(got.shape)}, expected (2, 2): "
        "keep the last two rows and the last two columns"
    )
    assert torch.equal(got, expected), (
        f"bottom_right of {t.tolist()} returned {_show(got)}, expected {_show(expected)}"
    )
