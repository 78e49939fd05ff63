"""Checks for question 16: the chapter's mnist_loss, and that its gradient points the right way."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close, loss_gradient
from ...reference import mnist_loss

QUESTION = Question(
    title="What a loss is",
    source=16,
    hints=[
        "Apply `.sigmoid()` to the predictions first. Then an item with target 1 contributes `1 - p` "
        "and an item with target 0 contributes `p`; torch.where picks between the two per item.",
        "`p = predictions.sigmoid(); return torch.where(targets == 1, 1 - p, p).mean()`",
    ],
)


def _batch(n: int, seed: int, scale: float = 4.0):
    g = torch.Generator().manual_seed(seed)
    predictions = torch.randn(n, 1, generator=g) * scale
    targets = torch.randint(0, 2, (n, 1), generator=g).float()
    return predictions, targets


@QUESTION.part(points=3, kind=BEHAVIOUR)
@given(st.integers(1, 64), st.sampled_from([0.1, 1.0, 4.0]), st.integers(0, 2**16))
def test_matches_the_reference_loss(student, n, scale, seed):
    predictions, targets = _batch(n, seed, scale)
    expected = mnist_loss(predictions, targets)
    got = student.function("mnist_loss")(predictions.clone(), targets.clone())
    assert_close(got, expected, f"mnist_loss on predictions of shape ({n}, 1)")


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(2, 32), st.integers(0, 2**16))
def test_the_gradient_pushes_each_prediction_towards_its_target(student, n, seed):
    predictions, targets = _batch(n, seed)
    grad = loss_gradient(student, predictions, targets, advice=(
        "backward() can't run through mnist_loss's result: return the loss as a tensor computed with torch "
        "operations from the predictions (no .item(), no numpy, no torch.tensor(...) around a result)"))
    assert (grad != 0).all(), "the loss should have a non-zero gradient for every prediction"
    towards = grad * (2 * targets.double() - 1)
    assert (towards < 0).all(), (
        "raising the score of an item whose target is 1 (or lowering it when the target is 0) should lower "
        "the loss; check which branch of torch.where goes with which target")


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_a_loss_is_for(student):
    assert_choice(student.value("LOSS_IS"), "c", "abcd", "LOSS_IS")
