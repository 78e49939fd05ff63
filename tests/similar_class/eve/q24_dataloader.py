import torch


def minibatches(x, y, batch_size, shuffle=False, seed=0):
    positions = torch.arange(len(x))
    if shuffle:
        rng = torch.Generator().manual_seed(seed)
        positions = torch.randperm(len(x), generator=rng)
    result = []
    for begin in range(0, len(x), batch_size):
        picked = positions[begin:begin + batch_size]
        result.append((x[picked], y[picked]))
    return result


DATALOADER = "c"
