"""Checks for question 7: the L1 distance and RMSE on random tensors of several shapes."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close

QUESTION = Question(
    title="The L1 norm and RMSE",
    source=7,
    hints=[
        "Both start from `a - b`. L1: absolute value, then the mean. RMSE: square, then the mean, "
        "then the square root, in that order.",
        "`(a - b).abs().mean()` and `((a - b) ** 2).mean().sqrt()`. Squaring makes big differences weigh more.",
    ],
)


PAIRS = st.tuples(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.integers(0, 2**31), st.floats(0.1, 100))


def _pair(shape, seed, scale):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=g) * scale, torch.randn(shape, generator=g) * scale)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(PAIRS)
def test_l1_distance_is_the_mean_absolute_difference(student, drawn):
    a, b = _pair(*drawn)
    got = student.function("l1_distance")(a.clone(), b.clone())
    assert_close(got, (a - b).abs().mean(), f"l1_distance of two random tensors of shape {tuple(a.shape)}")


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(PAIRS)
def test_rmse_is_the_root_of_the_mean_squared_difference(student, drawn):
    a, b = _pair(*drawn)
    got = student.function("rmse")(a.clone(), b.clone())
    expected = torch.nn.functional.mse_loss(a, b).sqrt()
    assert_close(got, expected, f"rmse of two random tensors of shape {tuple(a.shape)}")


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_which_measure_punishes_big_errors(student):
    assert_choice(student.value("BIG_ERRORS"), "b", "abcd", "BIG_ERRORS")
