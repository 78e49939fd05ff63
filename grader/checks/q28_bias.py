"""Checks for question 28: the linear model with its bias, and what the bias changes."""
import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close, to_tensor
from ...reference import linear1

QUESTION = Question(
    title="Bias parameters",
    source=28,
    hints=[
        "linear1: `@` multiplies the batch of rows by the weights; the bias is then added to every row "
        "(broadcasting). WHY_BIAS: write out the sum for a single image; what is left when every pixel is 0?",
        "linear1 is `return xb @ weights + bias`. WHY_BIAS: a black image gives 0 from the weights, so without a "
        "bias its prediction is 0 whatever the model learned.",
    ],
)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(n=st.integers(1, 6), k=st.integers(1, 8), m=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
def test_linear1_matches_the_reference(student, n, k, m, seed):
    """Graded: "your predictions for random batches, weights and biases of many shapes, against the chapter's
    linear1". Rule: "row i, column j being sum over p of xb[i, p] * weights[p, j], plus bias[j]"."""
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


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_why_the_bias_is_needed(student):
    """Graded: "the letter"."""
    assert_choice(student.value("WHY_BIAS"), "a", "abcd",
                  "WHY_BIAS (is the bias learned? how many are there? what can't a model without one do?)")
