import torch


class Learner:
    def __init__(self, dls, model, opt_func, loss_func, metrics=None):
        self.dls, self.model = dls, model
        self.opt_func, self.loss_func = opt_func, loss_func
        self.metrics = [] if metrics is None else list(metrics)
        self.history = []

    def one_epoch(self):
        self.model.train()
        totals = torch.zeros(2)
        for xb, yb in self.dls.train:
            loss = self.loss_func(self.model(xb), yb)
            loss.backward()
            self.opt.step()
            self.opt.zero_grad()
            totals += torch.tensor([loss.item() * yb.shape[0], yb.shape[0]])
        return (totals[0] / totals[1]).item()

    @torch.no_grad()
    def evaluate(self):
        self.model.eval()
        names = ["valid_loss"] + [f.__name__ for f in self.metrics]
        totals = dict.fromkeys(names, 0.0)
        n = 0
        for xb, yb in self.dls.valid:
            out = self.model(xb)
            totals["valid_loss"] += self.loss_func(out, yb).item() * len(yb)
            for f in self.metrics:
                totals[f.__name__] += f(out, yb).item() * len(yb)
            n += len(yb)
        return {k: v / n for k, v in totals.items()}

    def fit(self, n_epoch, lr):
        self.opt = self.opt_func(self.model.parameters(), lr)
        for _ in range(n_epoch):
            record = {"train_loss": self.one_epoch()}
            record.update(self.evaluate())
            self.history.append(record)
