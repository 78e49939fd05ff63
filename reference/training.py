"""The chapter's hand-written training loop for the linear model, before `Learner` exists."""
from __future__ import annotations

from typing import Callable

import torch

from .dataloader import DataLoader, DataLoaders
from .linear import batch_accuracy, init_params, linear1, mnist_loss
from .optim import BasicOptim

Model = Callable[[torch.Tensor], torch.Tensor]


def calc_grad(xb: torch.Tensor, yb: torch.Tensor, model: Model) -> None:
    """Predict, measure the loss, and put its gradient in each parameter's `.grad`."""
    mnist_loss(model(xb), yb).backward()


def train_epoch(model: Model, dl: DataLoader, opt: BasicOptim) -> None:
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        opt.step()
        opt.zero_grad()


@torch.no_grad()
def validate_epoch(model: Model, dl: DataLoader) -> float:
    """Accuracy over every validation item (batches weighted by their size)."""
    correct = sum(batch_accuracy(model(xb), yb) * len(yb) for xb, yb in dl)
    return (correct / dl.n).item()


def train_linear(
    dls: DataLoaders, epochs: int = 20, lr: float = 1.0, seed: int = 42, on_epoch: Callable[[], None] | None = None
) -> list[float]:
    """Train `linear1` from random weights with `BasicOptim`; the validation accuracy per epoch."""
    torch.manual_seed(seed)
    weights, bias = (p.detach().to(dls.device).requires_grad_() for p in (init_params((28 * 28, 1)), init_params(1)))
    opt = BasicOptim([weights, bias], lr)
    model = lambda xb: linear1(xb, weights, bias)  # noqa: E731 (the chapter's model is a function)
    accuracies = []
    for _ in range(epochs):
        train_epoch(model, dls.train, opt)
        accuracies.append(validate_epoch(model, dls.valid))
        if on_epoch:
            on_epoch()
    return accuracies
