"""fastquiz.reference.quadratic: the roller-coaster warm-up for SGD."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from fastquiz.reference import apply_step, fit_quadratic, mse, quadratic, roller_coaster


def test_roller_coaster_samples_twenty_times_and_is_repeatable_for_a_seed():
    t, speed = roller_coaster(seed=42)
    assert t.tolist() == list(range(20)) and t.dtype == torch.float32
    assert speed.shape == (20,)
    assert torch.equal(speed, roller_coaster(seed=42)[1])
    assert not torch.equal(speed, roller_coaster(seed=43)[1])


def test_roller_coaster_speeds_follow_the_hump_plus_noise():
    t, speed = roller_coaster(seed=0, n=20)
    noise = speed - (0.75 * (t - 9.5) ** 2 + 1)
    assert noise.abs().max() < 15  # three standard deviations of N(0, 3) are 9
    assert speed[0] > speed[9] < speed[19]  # slows to the top, speeds up after it


@settings(max_examples=30, deadline=None)
@given(a=st.floats(-5, 5), b=st.floats(-5, 5), c=st.floats(-5, 5), t=st.floats(-10, 10))
def test_quadratic_is_a_t_squared_plus_b_t_plus_c(a, b, c, t):
    value = quadratic(torch.tensor(t, dtype=torch.float64), torch.tensor([a, b, c], dtype=torch.float64))
    assert value.item() == pytest.approx(a * t * t + b * t + c, abs=1e-9)


def test_mse_is_the_mean_squared_difference():
    assert mse(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 6.0])).item() == pytest.approx((0 + 4 + 9) / 3)


def test_apply_step_returns_the_loss_before_stepping_and_moves_against_the_gradient():
    t, speed = roller_coaster()
    params = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    expected_loss = mse(quadratic(t, params), speed)
    (grad,) = torch.autograd.grad(expected_loss, params)
    expected_params = params.detach() - 1e-5 * grad
    loss = apply_step(params, t, speed, lr=1e-5)
    assert loss == pytest.approx(expected_loss.item())
    assert torch.allclose(params.detach(), expected_params)
    assert params.grad is None and params.requires_grad


def test_fit_quadratic_losses_fall_at_every_step():
    losses = fit_quadratic(steps=10, lr=1e-5, seed=42)
    assert len(losses) == 10
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))
    assert losses[-1] < losses[0] / 10


def test_fit_quadratic_is_repeatable_for_a_seed():
    assert fit_quadratic(steps=3, seed=7) == fit_quadratic(steps=3, seed=7)
