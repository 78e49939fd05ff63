import torch
from torch import nn


class Learner:
    """Trains a model: my version of fastai's Learner."""

    def __init__(self, dls, model: nn.Module, opt_func, loss_func, metrics=()):
        self.dls, self.model, self.opt_func, self.loss_func = dls, model, opt_func, loss_func
        self.metrics = list(metrics) if metrics else []
        self.history = []

    def _batches(self, loader, train):
        total = 0.0
        count = 0
        scores = {m.__name__: 0.0 for m in self.metrics}
        for inputs, labels in loader:
            if train:
                output = self.model(inputs)
                loss = self.loss_func(output, labels)
                self.opt.zero_grad()
                loss.backward()
                self.opt.step()
            else:
                with torch.no_grad():
                    output = self.model(inputs)
                    loss = self.loss_func(output, labels)
                    for m in self.metrics:
                        scores[m.__name__] += float(m(output, labels)) * len(labels)
            total += float(loss) * len(labels)
            count += len(labels)
        return total / count, {k: v / count for k, v in scores.items()}

    def fit(self, n_epoch, lr):
        self.opt = self.opt_func(self.model.parameters(), lr)
        for _ in range(n_epoch):
            self.model.train(True)
            train_loss, _ = self._batches(self.dls.train, train=True)
            self.model.train(False)
            valid_loss, scores = self._batches(self.dls.valid, train=False)
            self.history.append(dict(train_loss=train_loss, valid_loss=valid_loss, **scores))
