"""Checks for question 31: the quadratic's SGD steps, with the gradient reset after each one."""
import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close
from ...reference import apply_step, roller_coaster

QUESTION = Question(
    title="Why zero the gradients?",
    source=31,
    hints=[
        "Call backward() twice on the same little loss and print .grad after each call: "
        "PyTorch does not replace the old value. What does it do with it?",
        "Each step: `loss = mse(quadratic(t, params), speed)`, `loss.backward()`, then inside "
        "`torch.no_grad()` do `params -= lr * params.grad`, then `params.grad.zero_()`.",
    ],
)


def _floats(values, what: str) -> list[float]:
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError, RuntimeError):
        raise AssertionError(f"{what} should hold numbers (one loss per step, e.g. loss.item())") from None


@QUESTION.part(points=3, kind=BEHAVIOUR)
@given(seed=st.integers(0, 10_000), steps=st.integers(2, 12), lr=st.sampled_from([2e-6, 5e-6, 1e-5, 2e-5]))
def test_fit_quadratic_takes_the_same_steps_as_plain_sgd(student, seed, steps, lr):
    t, speed = roller_coaster(seed)
    start = torch.randn(3, generator=torch.Generator().manual_seed(seed + 1))
    expected = start.clone().requires_grad_()
    expected_losses = [apply_step(expected, t, speed, lr) for _ in range(steps)]

    params = start.clone().requires_grad_()
    call = f"fit_quadratic(t, speed, params, lr={lr:g}, steps={steps})"
    losses = student.function("fit_quadratic")(t.clone(), speed.clone(), params, lr, steps)
    assert isinstance(losses, (list, tuple)), f"{call} should return a list of losses, got {type(losses).__name__}"
    assert len(losses) == steps, f"{call} returned {len(losses)} losses, expected one per step ({steps})"
    assert not torch.equal(params.detach(), start), \
        f"after {call} the params tensor you were given is unchanged: update it in place, inside torch.no_grad()"
    assert_close(_floats(losses, f"the list {call} returned"), expected_losses,
                 f"the losses {call} returned (each measured before its step)", rtol=1e-3, atol=1e-3)
    assert_close(params.detach(), expected.detach(),
                 f"params after {call}: each step must use only the gradient of that step", rtol=1e-3, atol=1e-4)
