"""The chapter's optimiser: step each parameter against its gradient, then zero the gradient."""
from __future__ import annotations

from typing import Iterable

import torch


class BasicOptim:
    """Plain SGD: p -= lr * p.grad for every parameter."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float):
        self.params, self.lr = list(params), lr

    @torch.no_grad()
    def step(self) -> None:
        for p in self.params:
            if p.grad is not None:
                p -= p.grad * self.lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None


def SGD(params: Iterable[torch.Tensor], lr: float) -> BasicOptim:  # noqa: N802 (the book's name)
    """The optimiser factory `Learner` calls, named as in fastai."""
    return BasicOptim(params, lr)
