import torch


def minibatches(x, y, batch_size, shuffle=False, seed=0):
    n = x.shape[0]
    if shuffle:
        gen = torch.Generator().manual_seed(seed)
        perm = torch.randperm(n, generator=gen)
        x, y = x[perm], y[perm]
    batches = []
    for lo in range(0, n, batch_size):
        hi = min(lo + batch_size, n)
        batches.append((x[lo:hi], y[lo:hi]))
    return batches


DATALOADER = "c"
