"""Question 13: What mini-batches are for (fastbook ch. 4, question 13).

An epoch is one pass over every training item. A DataLoader cuts the (shuffled) items
into mini-batches of `batch_size` items, and the optimiser takes one step per
mini-batch. When the number of items is not a multiple of the batch size, the last batch
is smaller; with `drop_last=True` that incomplete batch is skipped.

Part 1. Write `updates_per_epoch(n_items, batch_size, drop_last=False)`: how many
optimiser steps one epoch takes. All arguments are positive integers (and a bool).

    >>> updates_per_epoch(1000, 64)
    16
    >>> updates_per_epoch(1000, 64, drop_last=True)
    15

Why mini-batches at all? Run two experiments on the chapter's linear model, whose
predictions are `x @ weights` and whose loss is `mnist_loss` (imported below).

Part 2. Write `minibatch_gradients(x, y, weights, batch_size, n_batches, seed)`: the
gradients of `mnist_loss(xb @ weights, yb)` with respect to `weights` on `n_batches`
mini-batches, each of `batch_size` different rows of `x` (and their labels in `y`)
picked at random with `torch.Generator().manual_seed(seed)`. Return them stacked, shape
`(n_batches, *weights.shape)`; leave `weights` itself as it was. Then look at how far
the gradients of small batches stray from the gradient over all rows, and how that
changes as the batches grow.

Part 3. Write `train_with_budget(x, y, batch_size, budget, lr, seed)`: start from
weights of zeros, shape `(x.shape[1], 1)`, and take `budget // batch_size` SGD steps
(`weights -= lr * gradient`), each on a fresh random mini-batch of `batch_size`
different rows (drawn as in part 2). Every step costs `batch_size` items' worth of
computing, so all batch sizes get the same budget. Return the final weights. Compare
the loss over all rows after training with batches of 16 and with the whole set.

    >>> w = train_with_budget(x, y, batch_size=16, budget=2048, lr=1.0, seed=0)   # 128 steps

Your gradients' spread for each batch size, and the loss of each training, are shown with
your result.

Given: `x`, a float tensor with one item per row, `y` its labels (an `(n, 1)` tensor of
0.0 and 1.0), and `weights` of shape `(x.shape[1], 1)`. Graded: your counts for many sizes;
your gradients (the one of a batch of every row must be the full gradient, and small
batches must scatter around it, less and less as they grow); and your training, which
must match plain gradient descent for a batch of every row and beat it with batches of 16.
"""
import torch

from fastquiz.reference import mnist_loss


def updates_per_epoch(n_items: int, batch_size: int, drop_last: bool = False) -> int:
    raise NotImplementedError("count the mini-batches of one epoch")


def minibatch_gradients(x: torch.Tensor, y: torch.Tensor, weights: torch.Tensor, batch_size: int,
                        n_batches: int, seed: int) -> torch.Tensor:
    raise NotImplementedError("the loss's gradient on each of n_batches random mini-batches, stacked")


def train_with_budget(x: torch.Tensor, y: torch.Tensor, batch_size: int, budget: int, lr: float,
                      seed: int) -> torch.Tensor:
    raise NotImplementedError("budget // batch_size SGD steps on random mini-batches, from zeros")


# Not graded: explain, in your own words, why SGD uses mini-batches.
EXPLAIN = """
"""
