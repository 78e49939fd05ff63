import torch
from torch import nn


def cross_entropy(logits, targets):
    m = logits.max(dim=1, keepdim=True).values
    shifted = logits - m
    log_sum = shifted.exp().sum(dim=1).log()
    picked = shifted.gather(1, targets.unsqueeze(1)).squeeze(1)
    return (log_sum - picked).mean()


def train_ten_digits(train_images, train_labels):
    torch.manual_seed(1)
    inputs = train_images.reshape(-1, 784)
    net = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
    optimiser = torch.optim.SGD(net.parameters(), lr=0.3)
    for epoch in range(4):
        perm = torch.randperm(inputs.shape[0])
        for i in range(0, inputs.shape[0], 32):
            batch = perm[i:i + 32]
            optimiser.zero_grad()
            cross_entropy(net(inputs[batch]), train_labels[batch]).backward()
            optimiser.step()
    return net


def confusion_matrix(preds, targets, n_classes):
    flat = targets * n_classes + preds
    return torch.bincount(flat, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
