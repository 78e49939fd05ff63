"""Checks for question 7: the L1 distance and RMSE on random tensors of several shapes."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close, which

QUESTION = Question(
    title="The L1 norm and RMSE",
    source=7,
    hints=[
        "l1_distance and rmse both start from `a - b`. L1: absolute value, then the mean. RMSE: square, then "
        "the mean, then the square root, in that order. BIG_ERRORS: try both on [0, 0, 0, 4] and [1, 1, 1, 1].",
        "l1_distance is `(a - b).abs().mean()` and rmse `((a - b) ** 2).mean().sqrt()`. BIG_ERRORS: squaring "
        "makes big differences weigh more.",
    ],
)


PAIRS = st.tuples(st.lists(st.integers(1, 6), min_size=1, max_size=4), st.integers(0, 2**31), st.floats(0.1, 100))


def _pair(shape, seed, scale):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=g) * scale, torch.randn(shape, generator=g) * scale)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(PAIRS)
def test_l1_distance_is_the_mean_absolute_difference(student, drawn):
    """Graded: "your L1 distances on random tensors of many shapes and scales". Rules: "make every difference
    positive with its absolute value, then average them", "of two float tensors of the same shape (any shape),
    as a scalar"."""
    a, b = _pair(*drawn)
    got = student.function("l1_distance")(a.clone(), b.clone())
    n = a.numel()
    advice = which(got, {
        "that is the mean of the signed differences, where positive and negative ones cancel: take each one's "
        "absolute value first": (a - b).mean(),
        f"that is the sum of the {n} absolute differences: the mean divides it by their number": (a - b).abs().sum(),
    }) if n > 1 else ""
    assert_close(got, (a - b).abs().mean(), f"l1_distance of two random tensors of shape {tuple(a.shape)}",
                 advice=advice)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(PAIRS)
def test_rmse_is_the_root_of_the_mean_squared_difference(student, drawn):
    """Graded: "your RMSEs on the same". Rule: "square every difference, average the squares, then take the
    square root of that average"."""
    a, b = _pair(*drawn)
    got = student.function("rmse")(a.clone(), b.clone())
    expected = torch.nn.functional.mse_loss(a, b).sqrt()
    n = a.numel()
    known = {"that is the mean of the squared differences (the MSE): the square root of it is missing":
             expected ** 2}
    if n > 1:  # with a single number, a sum is a mean and a root before the mean is one after it
        known |= {
            f"that is the square root of the sum of the {n} squares (the L2 norm): average the squares before the "
            "root": ((a - b) ** 2).sum().sqrt(),
            "that is the mean absolute difference (L1): a root taken before the mean undoes each square; take it "
            "after": (a - b).abs().mean()}
    advice = which(got, known)
    assert_close(got, expected, f"rmse of two random tensors of shape {tuple(a.shape)}", advice=advice)


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_which_measure_punishes_big_errors(student):
    """Graded: "the letter"."""
    assert_choice(student.value("BIG_ERRORS"), "b", "abcd", "BIG_ERRORS")
