"""The chapter's warm-up for SGD: fit a quadratic to the speed of a roller coaster."""
from __future__ import annotations

import torch


def roller_coaster(seed: int = 42, n: int = 20) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy speeds of a car going over the top of a hump, sampled at times 0..n-1."""
    time = torch.arange(0, n).float()
    noise = torch.randn(n, generator=torch.Generator().manual_seed(seed)) * 3
    return time, noise + 0.75 * (time - 9.5) ** 2 + 1


def quadratic(t: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    """a*t**2 + b*t + c."""
    a, b, c = params
    return a * t**2 + b * t + c


def mse(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return ((predictions - targets) ** 2).mean()


def apply_step(params: torch.Tensor, t: torch.Tensor, speed: torch.Tensor, lr: float) -> float:
    """One of SGD's steps: predict, loss, gradient, step, zero; returns the loss before the step."""
    loss = mse(quadratic(t, params), speed)
    loss.backward()
    with torch.no_grad():
        params -= lr * params.grad
    params.grad = None
    return loss.item()


def fit_quadratic(steps: int = 10, lr: float = 1e-5, seed: int = 42) -> list[float]:
    """Train random parameters for `steps` steps; the losses should fall."""
    t, speed = roller_coaster(seed)
    params = torch.randn(3, generator=torch.Generator().manual_seed(seed + 1)).requires_grad_()
    return [apply_step(params, t, speed, lr) for _ in range(steps)]
