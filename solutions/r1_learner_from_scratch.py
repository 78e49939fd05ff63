"""Research task 1: A Learner of your own (fastbook ch. 4, Further Research 1). Model answer."""
import torch
from torch import nn


class Learner:
    def __init__(self, dls, model: nn.Module, opt_func, loss_func, metrics=None):
        self.dls, self.model = dls, model
        self.opt_func, self.loss_func = opt_func, loss_func
        self.metrics = list(metrics or [])
        self.history = []

    def fit(self, n_epoch: int, lr: float) -> None:
        self.opt = self.opt_func(self.model.parameters(), lr)
        for _ in range(n_epoch):
            train_loss = self._train_epoch()
            self.history.append({"train_loss": train_loss, **self._validate()})

    def _train_epoch(self) -> float:
        self.model.train()
        total, count = 0.0, 0
        for xb, yb in self.dls.train:
            loss = self.loss_func(self.model(xb), yb)
            loss.backward()
            self.opt.step()
            self.opt.zero_grad()
            total += loss.item() * len(yb)
            count += len(yb)
        return total / count

    def _validate(self) -> dict[str, float]:
        self.model.eval()
        sums = {"valid_loss": 0.0, **{metric.__name__: 0.0 for metric in self.metrics}}
        count = 0
        with torch.no_grad():
            for xb, yb in self.dls.valid:
                preds, n = self.model(xb), len(yb)
                sums["valid_loss"] += self.loss_func(preds, yb).item() * n
                for metric in self.metrics:
                    sums[metric.__name__] += metric(preds, yb).item() * n
                count += n
        return {name: total / count for name, total in sums.items()}


EXPLAIN = """
The Learner keeps the data, the model, the optimiser function, the loss and the metrics.
fit builds the optimiser from the model's parameters and the learning rate, then for
each epoch runs a training pass (model in training mode; per batch: predict, loss,
backward, step, zero the gradients) and a validation pass (evaluation mode, under
torch.no_grad(), accumulating the loss and metrics weighted by batch size), and records
the epoch's numbers in history.
"""
