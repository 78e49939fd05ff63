"""The chapter's models."""
from __future__ import annotations

from torch import nn


def linear_model() -> nn.Module:
    """One weight per pixel plus a bias: the chapter's `nn.Linear(28*28, 1)`."""
    return nn.Linear(28 * 28, 1)


def simple_net(n_hidden: int = 30) -> nn.Module:
    """Two linear layers with a ReLU between them."""
    return nn.Sequential(nn.Linear(28 * 28, n_hidden), nn.ReLU(), nn.Linear(n_hidden, 1))
