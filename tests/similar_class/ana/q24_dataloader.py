import torch


def minibatches(x, y, batch_size, shuffle=False, seed=0):
    idx = list(range(len(x)))
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed)
        idx = torch.randperm(len(x), generator=g).tolist()
    out = []
    i = 0
    while i < len(idx):
        chunk = idx[i:i + batch_size]
        out.append((x[chunk], y[chunk]))
        i += batch_size
    return out


DATALOADER = "c"
