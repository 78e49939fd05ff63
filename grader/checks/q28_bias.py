"""Checks for question 28: the linear model with its bias, and what the bias changes."""
import torch
from hypothesis import given, strategies as st

from ..question import Question
from ._helpers import assert_choice, assert_close, to_number, to_tensor
from ...reference import linear1

QUESTION = Question(
    title="Bias parameters",
    source=28,
    hints=[
        "`@` multiplies the batch of rows by the weights; the bias is then added to every row (broadcasting). "
        "For parts 2 and 3, write out the sum for a single image: what is left when every pixel is 0?",
        "`return xb @ weights + bias`. The chapter's model learns 28*28 weights and 1 bias. "
        "A black image gives 0 from the weights, so the prediction is just the bias.",
    ],
)


@QUESTION.part(points=2)
@given(n=st.integers(1, 6), k=st.integers(1, 8), m=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
def test_linear1_matches_the_reference(student, n, k, m, seed):
    g = torch.Generator().manual_seed(seed)
    xb, weights = torch.randn(n, k, generator=g), torch.randn(k, m, generator=g)
    bias = torch.randn(m, generator=g) * 3 + 2
    got = to_tensor(student.function("linear1")(xb.clone(), weights.clone(), bias.clone()), "linear1's result")
    expected = linear1(xb, weights, bias)
    assert got.shape == expected.shape, (
        f"linear1 with xb of shape {(n, k)} and weights of shape {(k, m)} returned shape {tuple(got.shape)}, "
        f"expected {(n, m)}: one row per image, one column per output"
    )
    if torch.allclose(got, (xb @ weights).double(), rtol=1e-4, atol=1e-5):
        raise AssertionError("linear1 returned xb @ weights alone: the bias must be added to every prediction")
    assert_close(got, expected, f"linear1 with xb of shape {(n, k)} and weights of shape {(k, m)}")


@QUESTION.part(points=1)
def test_counts_the_parameters_of_the_linear_model(student):
    answer = to_number(student.value("N_PARAMETERS"), "N_PARAMETERS")
    assert answer != 2 * 28 * 28, "N_PARAMETERS: the bias is one number per output, not one per pixel"
    assert answer != 28 * 28, "N_PARAMETERS: you have counted the weights; the bias is learned too"
    assert answer == 28 * 28 + 1, f"N_PARAMETERS: {answer:g} is not the count: one weight per pixel, and the bias"


@QUESTION.part(points=1)
def test_predicts_the_output_for_a_blank_image(student):
    without = to_number(student.value("BLANK_WITHOUT_BIAS"), "BLANK_WITHOUT_BIAS")
    with_bias = to_number(student.value("BLANK_WITH_BIAS"), "BLANK_WITH_BIAS")
    weights = torch.randn(28 * 28, 1, generator=torch.Generator().manual_seed(0))
    blank = torch.zeros(1, 28 * 28)
    assert abs(without - (blank @ weights).item()) < 1e-6, (
        f"BLANK_WITHOUT_BIAS: {without:g} is not what xb @ weights gives for an image whose pixels are all 0"
    )
    assert abs(with_bias - linear1(blank, weights, torch.tensor([-1.5])).item()) < 1e-6, (
        f"BLANK_WITH_BIAS: {with_bias:g} is not the prediction for the blank image once the bias -1.5 is added"
    )


@QUESTION.part(points=1)
def test_knows_why_the_bias_is_needed(student):
    assert_choice(student.value("WHY_BIAS"), "a", "abcd",
                  "WHY_BIAS (is the bias learned? how many are there? what can't a model without one do?)")
