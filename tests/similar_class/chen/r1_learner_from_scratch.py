import torch


class Learner:
    def __init__(self, dls, model, opt_func, loss_func, metrics=None):
        self.dls = dls
        self.model = model
        self.metrics = list(metrics or [])
        self.loss_func = loss_func
        self.opt_func = opt_func
        self.history = []

    def fit(self, n_epoch, lr):
        optimizer = self.opt_func(self.model.parameters(), lr)
        self.opt = optimizer
        epoch = 0
        while epoch < n_epoch:
            self.model.train()
            epoch_losses = []
            for batch_x, batch_y in self.dls.train:
                prediction = self.model(batch_x)
                loss = self.loss_func(prediction, batch_y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                epoch_losses.append((loss.item(), len(batch_y)))
            running = sum(l * k for l, k in epoch_losses)
            seen = sum(k for _, k in epoch_losses)
            stats = {"train_loss": running / seen}
            self.model.eval()
            with torch.no_grad():
                valid = [(self.model(bx), by) for bx, by in self.dls.valid]
            out = torch.cat([p for p, _ in valid])
            target = torch.cat([t for _, t in valid])
            stats["valid_loss"] = self.loss_func(out, target).item()
            for metric in self.metrics:
                stats[metric.__name__] = metric(out, target).item()
            self.history.append(stats)
            epoch += 1
