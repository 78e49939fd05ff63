from . import Variant

MUTANTS = [
    Variant("never steps the optimiser", old="            self.opt.step()\n", new=""),
    Variant("never zeroes the gradients", old="            self.opt.zero_grad()\n", new=""),
    Variant("validates with gradients on", old="with torch.no_grad():", new="with torch.enable_grad():"),
    Variant("switches to eval mode and never back", old="        self.model.train()\n", new=""),
    Variant("trains on the validation batches as well", old="        for xb, yb in self.dls.train:\n",
            new="        for xb, yb in [*self.dls.train, *self.dls.valid]:\n"),
    Variant("hard-codes its own loss instead of loss_func", old="loss = self.loss_func(self.model(xb), yb)",
            new="loss = ((self.model(xb).sigmoid() - yb) ** 2).mean()"),
]

MUTANTS += [
    Variant("builds on fastquiz's Learner", old="class Learner:\n",
            new="from fastquiz.reference import Learner as ChapterLearner\n\n\nclass Learner(ChapterLearner):\n"),
    Variant("fails on metrics=None", old="self.metrics = list(metrics or [])", new="self.metrics = list(metrics)"),
    Variant("makes history only once fit runs", old="        self.history = []\n", new=""),
    Variant("starts a new history at each fit", old="        self.opt = self.opt_func(self.model.parameters(), lr)\n",
            new="        self.opt = self.opt_func(self.model.parameters(), lr)\n        self.history = []\n"),
]

ALTERNATIVES = [
    Variant("inference mode for validation", old="with torch.no_grad():", new="with torch.inference_mode():"),
    Variant("averages the batch means, keeps tensors in history", old=(
        "                sums[\"valid_loss\"] += self.loss_func(preds, yb).item() * n\n"
        "                for metric in self.metrics:\n"
        "                    sums[metric.__name__] += metric(preds, yb).item() * n\n"
        "                count += n\n"
    ), new=(
        "                sums[\"valid_loss\"] += self.loss_func(preds, yb)\n"
        "                for metric in self.metrics:\n"
        "                    sums[metric.__name__] += metric(preds, yb)\n"
        "                count += 1\n"
    )),
    Variant("zeroes before backward, with torch.optim.SGD-style order", old=(
        "            loss = self.loss_func(self.model(xb), yb)\n            loss.backward()\n"
        "            self.opt.step()\n            self.opt.zero_grad()\n"
    ), new=(
        "            self.opt.zero_grad()\n            loss = self.loss_func(self.model(xb), yb)\n"
        "            loss.backward()\n            self.opt.step()\n"
    )),
]
