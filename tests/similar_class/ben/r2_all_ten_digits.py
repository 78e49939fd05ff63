import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(28 * 28, 128)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


def cross_entropy(logits, targets):
    lse = torch.logsumexp(logits, dim=1)
    correct = logits[range(len(targets)), targets]
    return torch.mean(lse - correct)


def train_ten_digits(train_images, train_labels):
    g = torch.Generator().manual_seed(42)
    data = train_images.flatten(1)
    model = Net()
    step = 0.1
    epochs = 5
    n = data.size(0)
    for _ in range(epochs):
        idx = torch.randperm(n, generator=g)
        start = 0
        while start < n:
            sel = idx[start:start + 100]
            loss = cross_entropy(model(data[sel]), train_labels[sel])
            model.zero_grad()
            loss.backward()
            for w in model.parameters():
                w.data -= step * w.grad
            start += 100
    return model


def confusion_matrix(preds, targets, n_classes):
    result = torch.zeros((n_classes, n_classes), dtype=torch.long)
    for t in range(n_classes):
        for p in range(n_classes):
            result[t, p] = ((targets == t) & (preds == p)).sum()
    return result
