import torch


def minibatches(x, y, batch_size, shuffle=False, seed=0):
    order = torch.arange(len(x))
    if shuffle:
        order = order[torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))]
    return [(x[b], y[b]) for b in order.split(batch_size)]


DATALOADER = "c"
