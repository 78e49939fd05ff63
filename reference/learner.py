"""A small `Learner`: the chapter's training loop, with a recorder and fastai-like callbacks.

`fit` fires events in this order; a callback is any object with methods named after
the events it wants, and sees the learner's state through `self.learn`:

    before_fit
      before_epoch
        before_train  (before_batch after_pred after_loss after_backward after_step after_batch)*  after_train
        before_validate  (before_batch after_pred after_loss after_batch)*  after_validate
      after_epoch
    after_fit

Raising `CancelFitException` in a callback ends training cleanly (after_fit still runs).
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

import torch
from torch import nn

from .dataloader import DataLoaders
from .linear import batch_accuracy, mnist_loss
from .optim import SGD

EVENTS = (
    "before_fit", "before_epoch", "before_train", "before_batch", "after_pred", "after_loss",
    "after_backward", "after_step", "after_batch", "after_train", "before_validate",
    "after_validate", "after_epoch", "after_fit",
)

Metric = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


class CancelFitException(Exception):
    """Raise from a callback to stop training after the current step."""


class Callback:
    """Base class for callbacks; `learn` is set when the Learner takes the callback."""

    learn: "Learner"


class Recorder(Callback):
    """Per epoch: mean train loss, mean valid loss and each metric, weighted by batch size.

    Sums stay on the model's device during an epoch, so recording costs no sync per batch.
    `values` holds one `[train_loss, valid_loss, *metrics]` row per epoch.
    """

    def __init__(self):
        self.values: list[list[float]] = []

    @property
    def metric_names(self) -> list[str]:
        return ["train_loss", "valid_loss"] + [m.__name__ for m in self.learn.metrics]

    def before_fit(self) -> None:
        self.values = []

    def before_epoch(self) -> None:
        self._sums = torch.zeros(2 + len(self.learn.metrics), device=self.learn.dls.device)
        self._counts = [0, 0]

    @torch.no_grad()
    def after_batch(self) -> None:
        learn, n = self.learn, len(self.learn.yb)
        if learn.training:
            self._sums[0] += learn.loss.detach() * n
            self._counts[0] += n
        else:
            self._sums[1] += learn.loss * n
            for i, metric in enumerate(learn.metrics, start=2):
                self._sums[i] += metric(learn.pred, learn.yb) * n
            self._counts[1] += n

    def after_epoch(self) -> None:
        train, valid = (max(c, 1) for c in self._counts)
        sums = self._sums.tolist()
        self.values.append([sums[0] / train] + [s / valid for s in sums[1:]])


class Learner:
    """Train `model` on `dls` with `opt_func(params, lr)`, judged by `loss_func` and `metrics`."""

    xb: torch.Tensor  # the batch being used, for callbacks to see
    yb: torch.Tensor

    def __init__(
        self,
        dls: DataLoaders,
        model: nn.Module,
        opt_func: Callable = SGD,
        loss_func: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = mnist_loss,
        metrics: Metric | Sequence[Metric] = batch_accuracy,
        cbs: Iterable[Callback] = (),
    ):
        self.dls, self.model = dls, model.to(dls.device)
        self.opt_func, self.loss_func = opt_func, loss_func
        self.metrics = [metrics] if callable(metrics) else list(metrics)
        self.recorder = Recorder()
        self.cbs: list[Callback] = []
        self.add_cbs([self.recorder, *cbs])
        self.training = False

    def add_cbs(self, cbs: Iterable[Callback]) -> None:
        for cb in cbs:
            cb.learn = self
            self.cbs.append(cb)

    def fit(self, n_epoch: int, lr: float) -> None:
        self.n_epoch, self.lr = n_epoch, lr
        self.opt = self.opt_func(self.model.parameters(), lr)
        self._handlers = {e: [getattr(cb, e) for cb in self.cbs if hasattr(cb, e)] for e in EVENTS}
        try:
            self._event("before_fit")
            for self.epoch in range(n_epoch):
                self._event("before_epoch")
                self._run_epoch(train=True)
                self._run_epoch(train=False)
                self._event("after_epoch")
        except CancelFitException:
            pass
        finally:
            self._event("after_fit")

    def _run_epoch(self, train: bool) -> None:
        self.training = train
        self.model.train(train)
        self._event("before_train" if train else "before_validate")
        with torch.set_grad_enabled(train):
            for self.iter, (self.xb, self.yb) in enumerate(self.dls.train if train else self.dls.valid):
                self._one_batch()
        self._event("after_train" if train else "after_validate")

    def _one_batch(self) -> None:
        self._event("before_batch")
        self.pred = self.model(self.xb)
        self._event("after_pred")
        self.loss = self.loss_func(self.pred, self.yb)
        self._event("after_loss")
        if self.training:
            self.loss.backward()
            self._event("after_backward")
            self.opt.step()
            self._event("after_step")
            self.opt.zero_grad()
        self._event("after_batch")

    def _event(self, name: str) -> None:
        for handler in self._handlers[name]:
            handler()
