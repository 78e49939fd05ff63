"""Research task 1: A Learner of your own (fastbook ch. 4, Further Research 1).

Build your own version of the `Learner` class from the training loop of the chapter,
using nothing but PyTorch (fastai's and fastquiz's Learner can't be imported here).

`Learner(dls, model, opt_func, loss_func, metrics=None)` keeps what the loop needs:

- `dls`: an object with `.train` and `.valid`, each an iterable of mini-batches `(xb, yb)`;
- `model`: the PyTorch module to train (train this very object, not a copy);
- `opt_func(params, lr)`: a function that builds an optimiser with `.step()` and
  `.zero_grad()`, like the chapter's `SGD` / `BasicOptim`;
- `loss_func(preds, targets)`: the loss to minimise, a tensor with one number;
- `metrics`: a list of functions `metric(preds, targets)` to report, or None for none.

`fit(n_epoch, lr)` builds the optimiser once from the model's parameters and `lr`, then
runs `n_epoch` epochs. Each epoch has

1. a training pass over `dls.train`, with the model in training mode: for each batch,
   predict, compute the loss, compute the gradients, take an optimiser step, and reset
   the gradients;
2. a validation pass over `dls.valid`, without tracking gradients: the loss and every
   metric over the whole validation set;

and then appends to `self.history` (a list, empty before the first fit) one dict:
`{"train_loss": ..., "valid_loss": ..., <each metric's __name__>: ...}`, as plain numbers.

    >>> from fastquiz.reference import DataLoaders, SGD, load_mnist_sample, mnist_loss, batch_accuracy
    >>> sample = load_mnist_sample()
    >>> dls = DataLoaders.from_tensors(sample.xy("train"), sample.xy("valid"))
    >>> learn = Learner(dls, nn.Linear(28 * 28, 1), SGD, mnist_loss, [batch_accuracy])
    >>> learn.fit(10, lr=1.0)
    >>> learn.history[-1]
    {'train_loss': 0.03..., 'valid_loss': 0.04..., 'batch_accuracy': 0.97...}

Given: DataLoaders of 3s and 7s, a model, and the optimiser function, loss and metrics to
use (the grader's own, which note how they are called). Graded: how well the model your
Learner trains tells apart 3s and 7s it never saw; its parameters after two epochs in a
fixed batch order, against the chapter's loop; the model's mode and gradient setting in
each pass; your history, with metrics or none, over one fit or several; and that the
Learner uses the optimiser and loss it was given.
"""
import torch
from torch import nn


class Learner:
    def __init__(self, dls, model: nn.Module, opt_func, loss_func, metrics=None):
        raise NotImplementedError("keep what fit will need")

    def fit(self, n_epoch: int, lr: float) -> None:
        raise NotImplementedError("the training loop, with a validation pass each epoch")


# Not graded: explain, in your own words, how your Learner works and what each part is for.
EXPLAIN = """
"""
