import torch
from torch import nn


def cross_entropy(logits, targets):
    log_probs = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    return -log_probs[torch.arange(len(targets)), targets].mean()


def train_ten_digits(train_images, train_labels):
    torch.manual_seed(0)
    xs = train_images.view(-1, 28 * 28)
    model = nn.Sequential(nn.Linear(28 * 28, 30), nn.ReLU(), nn.Linear(30, 10))
    for epoch in range(4):
        for i in range(0, len(xs), 64):
            preds = model(xs[i:i + 64])
            loss = cross_entropy(preds, train_labels[i:i + 64])
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= 0.5 * p.grad
                    p.grad.zero_()
    return model


def confusion_matrix(preds, targets, n_classes):
    m = torch.zeros(n_classes, n_classes, dtype=torch.long)
    for t, p in zip(targets, preds):
        m[t, p] += 1
    return m
