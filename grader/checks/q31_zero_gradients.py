"""Checks for question 31: resetting the gradient in the quadratic's training loop, and the experiment that shows
why: predict, then measure, what .grad holds after some steps without the reset."""
import torch
from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, to_tensor, worked_out_once
from ._source import assert_given_unchanged
from ...reference import apply_step, mse, quadratic, roller_coaster

QUESTION = Question(
    title="Why zero the gradients?",
    source=31,
    hints=[
        "reset_gradient: what does the next backward() do with what it finds in .grad? grad_without_reset: call "
        "backward() twice on the same little loss and print .grad after each call. measured_grad: a copy of params "
        "that tracks its gradient, fit_quadratic with reset=False, then the copy's .grad.",
        "reset_gradient is `params.grad.zero_()` (or `params.grad = None`). grad_without_reset adds them up: "
        "`torch.stack(step_gradients).sum(0)`. measured_grad: `copy = params.detach().clone().requires_grad_()`, "
        "`fit_quadratic(t, speed, copy, lr, steps, reset=False)`, `return copy.grad`.",
    ],
)

STARTS = st.tuples(st.integers(0, 10_000), st.integers(2, 12), st.sampled_from([2e-6, 5e-6, 1e-5, 2e-5]))


def _floats(values, what: str) -> list[float]:
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError, RuntimeError):
        raise AssertionError(f"{what} should hold numbers (one loss per step)") from None


def _case(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    t, speed = roller_coaster(seed)
    return t, speed, torch.randn(3, generator=torch.Generator().manual_seed(seed + 1))


@worked_out_once
def _plain_sgd(seed: int, steps: int, lr: float) -> tuple[list[float], torch.Tensor]:
    """The grader's own loop with the reset, from seed's start: each step's loss, and the params at the end."""
    t, speed, start = _case(seed)
    params = start.clone().requires_grad_()
    return [apply_step(params, t, speed, lr) for _ in range(steps)], params.detach()


@worked_out_once
def _without_reset(seed: int, steps: int, lr: float) -> tuple[list[torch.Tensor], torch.Tensor]:
    """The grader's own loop without the reset, from seed's start: the gradient of each step's loss, and what
    .grad holds at the end."""
    t, speed, start = _case(seed)
    params, own = start.clone().requires_grad_(), []
    for _ in range(steps):
        loss = mse(quadratic(t, params), speed)
        (gradient,) = torch.autograd.grad(loss, params)
        own.append(gradient)
        params.grad = gradient if params.grad is None else params.grad + gradient
        with torch.no_grad():
            params -= lr * params.grad
    return own, params.grad


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(STARTS)
def test_with_your_reset_fit_quadratic_takes_plain_sgds_steps(student, drawn):
    """Graded: "your reset, through fit_quadratic, for random starts, learning rates and numbers of steps, against
    plain SGD". Rules: "after each step it calls your `reset_gradient(params)`", "clear what backward left in
    `params.grad`, so that the next backward starts from nothing"."""
    assert_given_unchanged(student, "fit_quadratic")
    seed, steps, lr = drawn
    t, speed, start = _case(seed)
    expected_losses, expected = _plain_sgd(seed, steps, lr)
    params = start.clone().requires_grad_()
    call = f"fit_quadratic(t, speed, params, lr={lr:g}, steps={steps}) with your reset_gradient"
    losses = student.function("fit_quadratic")(t.clone(), speed.clone(), params, lr, steps)
    assert isinstance(losses, list) and len(losses) == steps, "fit_quadratic is given: keep it as the stub has it"
    _, piled_up = _without_reset(seed, steps, lr)
    assert not torch.allclose(params.grad if params.grad is not None else torch.zeros(3), piled_up), (
        f"after {call}, params.grad holds every step's gradient added up: reset_gradient left it as it was")
    assert_close(_floats(losses, f"the list {call} returned"), expected_losses,
                 f"the losses {call} returned", rtol=1e-3, atol=1e-3)
    assert_close(params.detach(), expected, f"params after {call}", rtol=1e-3, atol=1e-4,
                 advice="reset_gradient should clear the gradient, and nothing else")


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(1, 6), st.integers(1, 4), st.integers(0, 10_000))
def test_predicts_what_grad_holds_without_a_reset(student, k, size, seed):
    """Graded: "your prediction for random gradients". Rule: "return what `.grad` holds after the k-th
    backward"."""
    g = torch.Generator().manual_seed(seed)
    gradients = [torch.randn(size, generator=g) for _ in range(k)]
    got = student.function("grad_without_reset")([gradient.clone() for gradient in gradients])
    assert got is not None, "grad_without_reset returned None: return what .grad would hold"
    if k > 1 and to_tensor(got, "your prediction").shape == (size,) \
            and torch.allclose(to_tensor(got, "your prediction").float(), gradients[-1]):
        raise AssertionError(f"after {k} backward calls you predict .grad holds the last gradient alone: backward "
                             "does not replace .grad, it adds to it")
    assert_close(got, torch.stack(gradients).sum(0), f"your prediction of .grad after {k} backward call(s)")


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(STARTS)
@example((42, 12, 1e-5))  # the run whose .grad is shown with the result
def test_measures_what_grad_holds_without_a_reset(student, drawn):
    """Graded: "your measurement for random starts, learning rates and numbers of steps, against the grader's".
    Rules: "run `fit_quadratic(t, speed, copy, lr, steps, reset=False)` and return what the copy's `.grad` holds at
    the end", "leave `params` itself as it was"."""
    seed, steps, lr = drawn
    t, speed, start = _case(seed)
    given = start.clone()
    got = student.function("measured_grad")(t.clone(), speed.clone(), given, lr, steps)
    call = f"measured_grad(t, speed, params, lr={lr:g}, steps={steps})"
    assert torch.equal(given, start) and given.grad is None, (
        f"{call} changed the params it was given (their values, or left a .grad on them): run fit_quadratic on a "
        "copy, params.detach().clone().requires_grad_()")
    assert got is not None, f"{call} returned None: return the copy's .grad after fit_quadratic"
    own, expected = _without_reset(seed, steps, lr)
    measured = to_tensor(got, f"{call}'s result")
    if measured.numel() == 3 and not measured.any():
        raise AssertionError(f"{call} found .grad all zeros: the reset ran; call fit_quadratic with reset=False")
    if measured.numel() == 3 and torch.allclose(measured.float(), own[-1], rtol=1e-3):
        raise AssertionError(f"{call} returned the last step's own gradient: return what .grad holds after "
                             "fit_quadratic, with every step's gradient in it")
    assert_close(measured, expected, f"the .grad {call} measured", rtol=1e-3, atol=1e-3)
    if (seed, steps, lr) == (42, 12, 1e-5):  # a run to show: does the measurement agree with the prediction?
        predicted = to_tensor(student.function("grad_without_reset")([gradient.clone() for gradient in own]),
                              "your prediction")
        if predicted.shape == measured.shape:
            student.record("measured .grad against your prediction, largest relative difference",
                           ((measured - predicted).abs().max() / measured.abs().max()).item())
    _record_the_experiment(student)


def _record_the_experiment(student) -> None:
    """The experiment the stub runs: 40 steps of the chapter's training, with the student's reset and without."""
    if any(name.startswith("loss after 40 steps") for name in student.metrics):
        return
    t, speed, start = _case(42)
    for reset, name in ((True, "with your reset"), (False, "without a reset")):
        losses = student.function("fit_quadratic")(t.clone(), speed.clone(), start.clone().requires_grad_(), 1e-5, 40,
                                                   reset)
        if not isinstance(losses, list) or len(losses) != 40:
            return
        student.record(f"loss after 10 steps, {name}", float(losses[9]))
        student.record(f"loss after 40 steps, {name}", float(losses[-1]))
