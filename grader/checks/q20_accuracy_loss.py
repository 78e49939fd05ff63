"""Checks for question 20: a loss with a useful gradient everywhere, unlike accuracy."""

import torch
from hypothesis import given, strategies as st

from ..question import Question
from ._helpers import assert_choice, loss_gradient, to_tensor

QUESTION = Question(
    title="Accuracy versus a loss SGD can follow",
    source=20,
    hints=[
        "Thresholding (`predictions > 0`) is what kills the gradient. Squash the scores smoothly instead "
        "(the sigmoid) and measure how far each squashed score is from its target.",
        "The chapter's loss works: `p = predictions.sigmoid(); return torch.where(targets == 1, 1 - p, p).mean()`; "
        "binary cross-entropy on the scores works too.",
    ],
)


def _batch(n: int, seed: int, scale: float = 3.0):
    g = torch.Generator().manual_seed(seed)
    predictions = torch.randn(n, 1, generator=g, dtype=torch.float64) * scale
    targets = torch.randint(0, 2, (n, 1), generator=g).double()
    return predictions, targets


def _value(student, predictions: torch.Tensor, targets: torch.Tensor) -> float:
    loss = to_tensor(student.function("smooth_loss")(predictions.clone(), targets.clone()), "smooth_loss's result")
    assert loss.numel() == 1, f"smooth_loss should return a single number, got shape {tuple(loss.shape)}"
    value = loss.item()
    assert torch.isfinite(torch.tensor(value)), f"smooth_loss returned {value} for scores between -15 and 15"
    return value


@QUESTION.part(points=2)
@given(st.integers(2, 32), st.integers(0, 2**16))
def test_every_prediction_gets_a_gradient_towards_its_target(student, n, seed):
    predictions, targets = _batch(n, seed)
    grad = loss_gradient(student, predictions, targets, advice=(
        "backward() can't run through smooth_loss's result: it is not connected to the predictions by "
        "differentiable torch operations. Comparisons such as `predictions > 0` have no gradient "
        "(that is exactly accuracy's problem), and .item() or numpy cut the link"))
    flat = int((grad == 0).sum())
    assert flat == 0, (
        f"the gradient of smooth_loss is zero for {flat} of {n} predictions: those items tell SGD nothing. "
        "Use a smooth function of the scores (no thresholds, no clipping)")
    assert (grad * (2 * targets - 1) < 0).all(), (
        "for some items the gradient pushes the score away from its target: raising the score of an item whose "
        "target is 1 should lower the loss, and so should lowering the score of an item whose target is 0")


@QUESTION.part(points=2)
@given(st.integers(2, 32), st.integers(0, 2**16))
def test_small_moves_towards_the_targets_lower_the_loss(student, n, seed):
    predictions, targets = _batch(n, seed)
    side = 2 * targets - 1                                 # +1 where the target is 1, -1 where it is 0
    before = _value(student, predictions, targets)
    i = seed % n
    nudged = predictions.clone()
    nudged[i] += 0.01 * side[i]
    after = _value(student, nudged, targets)
    assert after < before, (
        f"moving one score 0.01 towards its target changed smooth_loss from {before:.6g} to {after:.6g}: "
        "a loss SGD can follow must go down for every small improvement, like this one "
        "(accuracy stays put unless a prediction crosses the threshold)")
    confident = _value(student, 5 * side, targets)
    better = _value(student, 15 * side, targets)
    wrong = _value(student, -5 * side, targets)
    assert better < confident < wrong, (
        f"smooth_loss gives {better:.4g} for scores of 15 on the right side, {confident:.4g} for 5 on the right side "
        f"and {wrong:.4g} for 5 on the wrong side: it should keep falling as the predictions get better")


@QUESTION.part(points=2)
def test_explains_why_accuracy_is_no_loss(student):
    assert_choice(student.value("WHY_NOT_ACCURACY"), "b", "abcd", "WHY_NOT_ACCURACY")
