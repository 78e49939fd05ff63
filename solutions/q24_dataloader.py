"""Question 24: What a DataLoader does (fastbook ch. 4, question 24). Model answer."""
import torch


def minibatches(x: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle: bool = False, seed: int = 0) -> list:
    n = len(x)
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
    batches = []
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        batches.append((x[idx], y[idx]))
    return batches


DATALOADER = "c"


EXPLAIN = """
A DataLoader takes a collection of items (for instance a dataset of (image, label)
pairs) and serves it in mini-batches: each time you iterate over it you get batches of
batch_size items, stacked into tensors, with the inputs and their labels kept together.
With shuffle=True it draws a new random order every time it is iterated over (every
epoch), so that the model sees the items in different groupings each time, which helps
SGD; for validation there is no need to shuffle. The last batch may
be smaller. It does not train anything itself: the training loop just asks it for the
next batch.
"""
