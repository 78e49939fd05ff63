"""What the checks hand to a student's code that runs in the student's worker: models,
functions and tensors of the grader's own, which the worker imports from here by name.

Nothing here may give an answer away: a worker that is sent these objects can read this
module (its question names it in `sends`), so it imports nothing but torch; what a probe
needs of the reference (a loss, an optimiser) is handed to it. Each object either computes
what the student's code is given (a model, a function to differentiate), or writes down,
where the check can read it back, what the student's code did with it.
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import nn


def memorised_logits(train_x: torch.Tensor, train_y: torch.Tensor, rule: torch.Tensor, x) -> torch.Tensor:
    """A model that recalls every training item exactly and guesses with a fixed linear rule elsewhere
    (question 11; bound with functools.partial)."""
    x = torch.as_tensor(x, dtype=train_x.dtype)
    same = (x[:, None, :] == train_x[None, :, :]).all(-1)            # (n, n_train)
    seen = same.any(1, keepdim=True)
    recalled = train_y[same.float().argmax(1)] * 20 - 10             # +10 for a 1, -10 for a 0
    return torch.where(seen, recalled, x @ rule)


def linear_function(w: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """x -> (w * x).sum() + 1.5, whose gradient is w (question 18)."""
    return (w * x).sum() + 1.5


def curvy_function(c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """A mix of cubes, squares, sines and one product of two entries (question 18)."""
    return (c[0] * x ** 3 / 3 + c[1] * x ** 2 + c[2] * torch.sin(c[3] * x)).sum() + x[0] * x[-1]


# Question 19's functions: with strict=True they insist on a tensor that tracks its gradient.
def _tracked(x: torch.Tensor, strict: bool) -> torch.Tensor:
    if strict and not (isinstance(x, torch.Tensor) and x.requires_grad):
        raise ValueError("grad_of called f on a tensor that does not track its gradient: "
                         "use requires_grad_() on a copy of x and let backward() find the gradient")
    return x


def cubic(c: torch.Tensor, x: torch.Tensor, strict: bool = True) -> torch.Tensor:
    x = _tracked(x, strict)
    return (c[0] * x ** 3 + c[1] * x ** 2 + c[2] * x).sum()


def wave(c: torch.Tensor, x: torch.Tensor, strict: bool = True) -> torch.Tensor:
    x = _tracked(x, strict)
    return (c[0] * torch.sin(c[1] * x)).sum() + (x ** 2).mean()


def squashed(c: torch.Tensor, x: torch.Tensor, strict: bool = True) -> torch.Tensor:
    x = _tracked(x, strict)
    return torch.sigmoid(c[0] * x + c[1]).mean()


def accuracy_as_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """1 - accuracy, as a loss autograd can run through: its gradient is zero everywhere (question 20)."""
    return (torch.sigmoid(predictions).round() - targets).abs().mean()


class ParameterWithGrad(torch.Tensor):
    """A parameter whose `.grad` goes along to the student's code (question 23).

    Student code runs in a worker that receives its arguments as pickles, and pickling a
    tensor keeps its values but drops its `.grad`; this tensor rebuilds itself with it."""

    def __reduce_ex__(self, protocol):
        grad = None if self.grad is None else torch.Tensor(self.grad).detach().clone()
        return _rebuild_parameter, (torch.Tensor(self).detach().clone(), grad, self.requires_grad)


def _rebuild_parameter(data: torch.Tensor, grad: torch.Tensor | None, requires_grad: bool) -> torch.Tensor:
    data.requires_grad_(requires_grad)
    data.grad = grad
    return data


def tangled_loss(x: torch.Tensor, t: torch.Tensor, c: float, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """A loss of a small tanh layer's weight and bias, with data the student doesn't see (question 30; bound
    with functools.partial). It insists on parameters that track their gradient."""
    if not (isinstance(weight, torch.Tensor) and isinstance(bias, torch.Tensor) and weight.requires_grad
            and bias.requires_grad):
        raise ValueError("the loss was called on parameters that don't track their gradient: call it on copies "
                         "made with requires_grad_(), then backward() on its result")
    return (torch.tanh(x @ weight + bias) - t).pow(2).mean() + c * weight.pow(2).sum()


class Phase:
    """Research task 1: shared by the loaders and the probe: which set the batch being used came from."""

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
