import torch
from torch import nn


def cross_entropy(logits, targets):
    biggest = logits.max(1).values.unsqueeze(1)
    logz = biggest.squeeze(1) + (logits - biggest).exp().sum(1).log()
    return (logz - logits.gather(1, targets.view(-1, 1)).view(-1)).mean()


def train_ten_digits(train_images, train_labels):
    torch.manual_seed(3)
    X = train_images.view(train_images.shape[0], -1)
    w1 = nn.Linear(784, 50)
    w2 = nn.Linear(50, 10)
    model = nn.Sequential(w1, nn.ReLU(), w2)
    params = list(model.parameters())
    for epoch in range(8):
        for b in torch.randperm(len(X)).split(128):
            out = model(X[b])
            l = cross_entropy(out, train_labels[b])
            grads = torch.autograd.grad(l, params)
            with torch.no_grad():
                for prm, grd in zip(params, grads):
                    prm.sub_(0.4 * grd)
    return model


def confusion_matrix(preds, targets, n_classes):
    return torch.stack([torch.bincount(preds[targets == k], minlength=n_classes) for k in range(n_classes)])
