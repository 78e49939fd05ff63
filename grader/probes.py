"""What checks hand to a student's code to run there: probes that watch what the code does
with them, and functions it must call where autograd can see them.

All of it runs in the student's worker, so this module imports nothing but torch (a question
that uses it names it in its `sends`). What a probe sees it writes into tensors (a module's
buffers), which come back to the check with the module's state.
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn


class Phase:
    """Shared by the loaders and the probe: which set the batch being used came from."""

    valid = False


class Tagged:
    """A loader that marks, as it hands out each batch, whether it is a validation batch."""

    def __init__(self, loader, phase: Phase, valid: bool):
        self.loader, self.phase, self.valid = loader, phase, valid

    def __iter__(self):
        for batch in self.loader:
            self.phase.valid = self.valid
            yield batch

    def __len__(self) -> int:
        return len(self.loader)

    def __getattr__(self, name: str):
        if name == "loader":  # not set yet while unpickling
            raise AttributeError(name)
        return getattr(self.loader, name)


class Probe(nn.Module):
    """The model, plus a log of (validation batch?, training mode?, gradients on?) per call."""

    def __init__(self, inner: nn.Module, phase: Phase, capacity: int = 1000):
        super().__init__()
        self.inner, self.phase = inner, phase
        for name, value in [("calls", torch.zeros(capacity, 3)), ("n_calls", torch.zeros((), dtype=torch.long)),
                            ("loss_calls", torch.zeros((), dtype=torch.long)),
                            ("opt_calls", torch.zeros((), dtype=torch.long)), ("opt_lr", torch.zeros(()))]:
            self.register_buffer(name, value)

    def forward(self, x):
        i = int(self.n_calls)
        if i < len(self.calls):
            self.calls[i] = torch.tensor([self.phase.valid, self.training, torch.is_grad_enabled()], dtype=torch.float)
        self.n_calls += 1
        return self.inner(x)


class CountingLoss:
    """A loss function that counts its calls in the probe's buffers."""

    def __init__(self, probe: Probe, loss: Callable):
        self.probe, self.loss = probe, loss

    def __call__(self, preds, targets):
        self.probe.loss_calls += 1
        return self.loss(preds, targets)


class CountingSGD:
    """An optimiser function (`opt_func(params, lr)`) that counts its calls and keeps the last lr."""

    def __init__(self, probe: Probe, opt_func: Callable):
        self.probe, self.opt_func = probe, opt_func

    def __call__(self, params, lr):
        self.probe.opt_calls += 1
        self.probe.opt_lr.fill_(lr)
        return self.opt_func(params, lr)


# For q19's grad_of: functions of x for the student's code to differentiate. With strict=True they
# insist on a tensor that tracks its gradient.
def tracked(x: torch.Tensor, strict: bool) -> torch.Tensor:
    if strict and not (isinstance(x, torch.Tensor) and x.requires_grad):
        raise ValueError("grad_of called f on a tensor that does not track its gradient: "
                         "use requires_grad_() on a copy of x and let backward() find the gradient")
    return x


def cubic(c: torch.Tensor, x: torch.Tensor, strict: bool = True) -> torch.Tensor:
    x = tracked(x, strict)
    return (c[0] * x ** 3 + c[1] * x ** 2 + c[2] * x).sum()


def wave(c: torch.Tensor, x: torch.Tensor, strict: bool = True) -> torch.Tensor:
    x = tracked(x, strict)
    return (c[0] * torch.sin(c[1] * x)).sum() + (x ** 2).mean()


def squashed(c: torch.Tensor, x: torch.Tensor, strict: bool = True) -> torch.Tensor:
    x = tracked(x, strict)
    return torch.sigmoid(c[0] * x + c[1]).mean()
