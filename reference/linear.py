"""The chapter's linear model, written out: parameters, prediction, loss and metric."""
from __future__ import annotations

import torch


def init_params(size: int | tuple[int, ...], std: float = 1.0) -> torch.Tensor:
    """Random normal parameters that track their gradient."""
    return (torch.randn(size) * std).requires_grad_()


def linear1(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """One prediction per row: xb @ weights + bias."""
    return xb @ weights + bias


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Squash any number into (0, 1)."""
    return 1 / (1 + torch.exp(-x))


def mnist_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Distance from the right answer after a sigmoid: small when confident and correct."""
    predictions = predictions.sigmoid()
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


def batch_accuracy(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Share of predictions on the right side of 0 (of 0.5 after the sigmoid)."""
    correct = (predictions.sigmoid() > 0.5) == targets.bool()
    return correct.float().mean()
