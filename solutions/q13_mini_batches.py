"""Question 13: What mini-batches are for (fastbook ch. 4, question 13). Model answer."""
import math

import torch

from fastquiz.reference import mnist_loss


def updates_per_epoch(n_items: int, batch_size: int, drop_last: bool = False) -> int:
    if drop_last:
        return n_items // batch_size
    return math.ceil(n_items / batch_size)


def batch_gradient(x: torch.Tensor, y: torch.Tensor, weights: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
    weights = weights.detach().clone().requires_grad_()
    mnist_loss(x[rows] @ weights, y[rows]).backward()
    return weights.grad


def minibatch_gradients(x: torch.Tensor, y: torch.Tensor, weights: torch.Tensor, batch_size: int,
                        n_batches: int, seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    rows = [torch.randperm(len(x), generator=generator)[:batch_size] for _ in range(n_batches)]
    return torch.stack([batch_gradient(x, y, weights, r) for r in rows])


def train_with_budget(x: torch.Tensor, y: torch.Tensor, batch_size: int, budget: int, lr: float,
                      seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    weights = torch.zeros(x.shape[1], 1)
    for _ in range(budget // batch_size):
        rows = torch.randperm(len(x), generator=generator)[:batch_size]
        weights -= lr * batch_gradient(x, y, weights, rows)
    return weights


EXPLAIN = """
The gradient of one mini-batch is a noisy estimate of the gradient over the whole
training set: it scatters around it, and the scatter shrinks as the batch grows (a batch
of every item gives the full gradient exactly). A single item per step is very noisy; the
whole set per step is exact but gives only one step per pass over the data. With a fixed
amount of computing, small batches take many more steps, each good enough, and reach a
lower loss than a few exact steps; the items of a batch are also processed together, in
parallel on a GPU. So SGD uses mini-batches of a few dozen to a few hundred items.
"""
