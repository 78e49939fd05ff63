import torch


class Learner:
    def __init__(self, dls, model, opt_func, loss_func, metrics=None):
        self.dls = dls
        self.model = model
        self.opt_func = opt_func
        self.loss_func = loss_func
        self.metrics = metrics or []
        self.history = []

    def fit(self, n_epoch, lr):
        self.opt = self.opt_func(self.model.parameters(), lr)
        for epoch in range(n_epoch):
            self.model.train()
            losses, sizes = [], []
            for xb, yb in self.dls.train:
                loss = self.loss_func(self.model(xb), yb)
                loss.backward()
                self.opt.step()
                self.opt.zero_grad()
                losses.append(loss.item() * len(xb))
                sizes.append(len(xb))
            row = {"train_loss": sum(losses) / sum(sizes)}
            row.update(self.validate())
            self.history.append(row)

    def validate(self):
        self.model.eval()
        preds, targets = [], []
        with torch.no_grad():
            for xb, yb in self.dls.valid:
                preds.append(self.model(xb))
                targets.append(yb)
        preds, targets = torch.cat(preds), torch.cat(targets)
        row = {"valid_loss": self.loss_func(preds, targets).item()}
        for metric in self.metrics:
            row[metric.__name__] = metric(preds, targets).item()
        return row
