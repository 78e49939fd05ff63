"""Checks for question 16: what goes wrong with a loss that has no sigmoid (a score that makes it negative, and
gradient descent that runs off with it), and the chapter's mnist_loss, which stays between 0 and 1."""

import torch
from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, CHOICE, VALUE, Question
from ..student import StudentError
from ._helpers import assert_choice, assert_close, kind, loss_gradient, to_number, to_tensor
from ._source import assert_given_unchanged
from ...reference import mnist_loss

QUESTION = Question(
    title="What a loss is",
    source=16,
    hints=[
        "NEGATIVE_AT: for a target of 1, loss_without_sigmoid is 1 minus the score; when is that below 0? descend: "
        "the score is a (1, 1) tensor that tracks its gradient; keep the loss before each step, and one after the "
        "last. mnist_loss: squash the scores first. LOSS_IS: which option does SGD care about?",
        "NEGATIVE_AT is any score above 1. descend: `score = torch.zeros(1, 1, requires_grad=True)`, then per step "
        "`loss = loss_fn(score, t); loss.backward()`, `with torch.no_grad(): score -= lr * score.grad`, "
        "`score.grad = None`. mnist_loss: `p = predictions.sigmoid(); return torch.where(targets == 1, 1 - p, "
        "p).mean()`. LOSS_IS: the loss is for SGD, the metric for people.",
    ],
)


def _without_sigmoid(score: float, target: float) -> float:
    """The given loss_without_sigmoid of one score."""
    return 1 - score if target == 1 else score


@QUESTION.part(points=1, kind=VALUE)
def test_finds_a_score_that_makes_the_first_try_negative(student):
    """Graded: "your negative score". Rule: "a score that makes `loss_without_sigmoid` of a single 3 (target 1.0)
    negative"."""
    score = to_number(student.value("NEGATIVE_AT"), "NEGATIVE_AT")
    assert _without_sigmoid(score, 1.0) < 0, (
        f"loss_without_sigmoid of a 3 with the score NEGATIVE_AT = {score:g} is {_without_sigmoid(score, 1.0):g}, "
        "not below 0: for a target of 1 it is 1 minus the score")


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.sampled_from([0.0, 1.0]), st.sampled_from([0.1, 0.5, 1.0, 2.0]), st.integers(0, 30))
@example(1.0, 1.0, 100)  # the experiment the stub suggests: its last loss is shown with the result
def test_descends_from_zero_and_keeps_every_loss(student, target, lr, steps):
    """Graded: "your descents for random targets, learning rates and numbers of steps". Rules: "start one score at
    0.0", "each step moves the score by `lr` times its gradient, against it", "Return the list of the `steps + 1`
    losses as plain numbers: the one at the start, then the one after each step"."""
    assert_given_unchanged(student, "loss_without_sigmoid")
    call = f"descend(loss_without_sigmoid, {target:g}, {lr:g}, {steps})"
    got = student.function("descend")(student.function("loss_without_sigmoid"), target, lr, steps)
    assert isinstance(got, (list, tuple)), f"{call} should return a list of losses, got {kind(got)}"
    assert len(got) == steps + 1, (
        f"{call} returned {len(got)} losses, expected {steps + 1}: the loss at the start, then one after each step")
    # The given loss's gradient is -1 for a target of 1 and +1 for a target of 0: each step moves the score by lr.
    direction = 1 if target == 1 else -1
    expected = [_without_sigmoid(direction * lr * k, target) for k in range(steps + 1)]
    if steps > 1 and torch.allclose(to_tensor(got, f"{call}'s losses"),
                                    torch.tensor([_without_sigmoid(direction * lr * k * (k + 1) / 2, target)
                                                  for k in range(steps + 1)], dtype=torch.float64)):
        raise AssertionError(f"{call}: each step moved the score further than the last, by the gradients of all the "
                             "steps before added up: reset the score's .grad after each step")
    assert_close(got, expected, f"{call}'s losses")
    if (target, lr, steps) == (1.0, 1.0, 100):
        student.record("a 3's loss without the sigmoid, after 100 steps", to_number(got[-1], "the last loss"))
        try:
            own = student.function("descend")(student.function("mnist_loss"), 1.0, 1.0, 100)
            student.record("a 3's loss with your mnist_loss, after 100 steps", to_number(own[-1], "the last loss"))
        except (StudentError, AssertionError, TypeError, IndexError):
            pass  # the student's mnist_loss is graded in its own part


def _batch(n: int, seed: int, scale: float = 4.0):
    g = torch.Generator().manual_seed(seed)
    predictions = torch.randn(n, 1, generator=g) * scale
    targets = torch.randint(0, 2, (n, 1), generator=g).float()
    return predictions, targets


@QUESTION.part(points=3, kind=BEHAVIOUR)
@given(st.integers(1, 64), st.sampled_from([0.1, 1.0, 4.0, 100.0]), st.integers(0, 2**16))
def test_matches_the_reference_loss(student, n, scale, seed):
    """Graded: "your loss on random batches, of ordinary and of huge scores, against the chapter's". Rules: "squash
    each score into (0, 1) with the sigmoid function first", "However far out the scores go, this loss stays
    between 0 and 1"."""
    predictions, targets = _batch(n, seed, scale)
    expected = mnist_loss(predictions, targets)
    got = student.function("mnist_loss")(predictions.clone(), targets.clone())
    value = to_tensor(got, "mnist_loss's result")
    if value.numel() == 1 and not 0 <= value.item() <= 1:
        raise AssertionError(f"mnist_loss on scores around ±{scale:g} is {value.item():.4g}, outside 0..1: squash "
                             "the scores with the sigmoid before comparing them with the targets")
    assert_close(got, expected, f"mnist_loss on predictions of shape ({n}, 1) around ±{scale:g}")


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(2, 32), st.integers(0, 2**16))
def test_the_gradient_pushes_each_prediction_towards_its_target(student, n, seed):
    """Graded: "the direction of its gradient for every item (read by `loss_gradient`, which must stay as it is)".
    Rules: "Write `mnist_loss(predictions, targets)`", "keep it a tensor so PyTorch can compute its gradient"."""
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
    """Graded: "the letter"."""
    assert_choice(student.value("LOSS_IS"), "c", "abcd", "LOSS_IS")
