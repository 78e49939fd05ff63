"""Checks for question 22: batch accuracy, and the experiment that tells a loss from a metric: nudge one
weight of a real model, and the loss moves while the accuracy does not."""
import torch
from hypothesis import given, strategies as st
from torch import nn

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, embedded_sample, seed_torch, to_number, to_tensor, worked_out_once
from ...reference import batch_accuracy, mnist_loss

QUESTION = Question(
    title="Loss function versus metric",
    source=22,
    hints=[
        "batch_accuracy: sigmoid(p) > 0.5 is the same as p > 0. nudge_one_weight: measure both scores, change the "
        "weight inside `with torch.no_grad():`, and measure them again.",
        "batch_accuracy is `((preds.sigmoid() > 0.5) == targets.bool()).float().mean()`; nudge_one_weight changes "
        "the weight with `model.weight[0, index] += delta` under torch.no_grad(), between the two measurements.",
    ],
)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(n=st.integers(1, 40), column=st.booleans(), scale=st.sampled_from([0.3, 1.0, 5.0]),
       seed=st.integers(0, 2**32 - 1))
def test_batch_accuracy_matches_the_reference(student, n, column, scale, seed):
    """Graded: "your accuracy on random predictions of both shapes, against the chapter's". Rules: "when its sigmoid
    is above 0.5", "the share of predictions that agree with their target, as a number between 0 and 1", "(n, 1) or
    (n,)"."""
    g = torch.Generator().manual_seed(seed)
    shape = (n, 1) if column else (n,)
    preds = torch.randn(shape, generator=g) * scale
    targets = torch.randint(0, 2, shape, generator=g).float()
    got = to_tensor(student.function("batch_accuracy")(preds.clone(), targets.clone()), "batch_accuracy")
    expected = batch_accuracy(preds, targets)
    assert got.numel() == 1, (
        f"batch_accuracy returned {got.numel()} numbers for {n} predictions of shape {shape}: return one share, "
        "the mean of the correct/incorrect flags (and check that preds and targets keep the same shape)"
    )
    wrong_threshold = ((preds > 0.5) == targets.bool()).float().mean()
    if not torch.isclose(expected, wrong_threshold) and torch.isclose(got.reshape(()).float(), wrong_threshold):
        raise AssertionError(
            "batch_accuracy compared the raw outputs with 0.5: the 0.5 threshold applies after the sigmoid, "
            "which is the same as comparing the raw outputs with 0"
        )
    assert_close(got.reshape(()), expected, f"batch_accuracy on {n} random predictions of shape {shape}")


@worked_out_once
def _model_and_batch() -> tuple[nn.Linear, torch.Tensor, torch.Tensor]:
    x, y = embedded_sample().xy("train")
    rows = torch.randperm(len(x), generator=torch.Generator().manual_seed(22))[:100]
    seed_torch(22)
    return nn.Linear(28 * 28, 1), x[rows], y[rows]


def _scores(model: nn.Linear, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    with torch.no_grad():
        preds = model(x)
        return mnist_loss(preds, y).item(), batch_accuracy(preds, y).item()


@worked_out_once
def _nudged(index: int, delta: float) -> tuple[torch.Tensor, tuple[float, float], tuple[float, float]]:
    """The weight of `_model_and_batch`'s model after `delta` is added to pixel `index`'s, and the model's (loss,
    accuracy) on its batch before and after."""
    model, x, y = _model_and_batch()
    before = _scores(model, x, y)
    with torch.no_grad():
        model.weight[0, index] += delta
    return model.weight.detach(), before, _scores(model, x, y)


CENTRE = 14 * 28 + 14  # a pixel most digits draw on


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_a_nudged_weight_moves_the_loss_but_rarely_the_accuracy(student):
    """Graded: "the two changes you measure for tiny and large nudges of weights of a real model". Rules: "add
    `delta` to the weight of pixel `index`", "in place, without tracking gradients", "(loss after - loss before,
    accuracy after - accuracy before)"."""
    nudge = student.function("nudge_one_weight")
    for index, delta in [(CENTRE, 1e-3), (CENTRE - 30, -1e-3), (CENTRE, 3.0), (CENTRE + 5, -4.0)]:
        model, x, y = _model_and_batch()
        nudged, before, after = _nudged(index, delta)
        result = nudge(model, x.clone(), y.clone(), index, delta)
        call = f"nudge_one_weight(model, x, y, index={index}, delta={delta:g})"
        assert isinstance(result, (tuple, list)) and len(result) == 2, \
            f"{call} should return two numbers: the change of the loss, then the change of the accuracy"
        assert_close(model.weight.detach(), nudged,
                     f"the model's weights after {call} (only weight[0, {index}] should change, by {delta:g})")
        loss_change, accuracy_change = (to_number(r, f"a change returned by {call}") for r in result)
        assert_close(loss_change, after[0] - before[0], f"the change of the loss after {call}", rtol=1e-3, atol=1e-6)
        assert abs(accuracy_change - (after[1] - before[1])) < 1e-6, (
            f"{call} returned an accuracy change of {accuracy_change:g}, but the accuracy went from {before[1]:g} "
            f"to {after[1]:g}: measure it before and after the nudge, with your batch_accuracy")
        size = "tiny" if abs(delta) < 0.01 else "large"
        student.record(f"loss change, {size} nudge of {delta:g}", loss_change)
        student.record(f"accuracy change, {size} nudge of {delta:g}", accuracy_change)
