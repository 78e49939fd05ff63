import torch


def minibatches(x, y, batch_size, shuffle=False, seed=0):
    num = len(x)
    ix = torch.randperm(num, generator=torch.Generator().manual_seed(seed)) if shuffle else torch.arange(num)
    xs = torch.split(x[ix], batch_size)
    ys = torch.split(y[ix], batch_size)
    return list(zip(xs, ys))


DATALOADER = "c"
