import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def cross_entropy(logits, targets):
    shifted = logits - logits.amax(1, keepdim=True)
    log_norm = torch.log(torch.exp(shifted).sum(1))
    return (log_norm - shifted[torch.arange(targets.numel()), targets]).mean()


def train_ten_digits(train_images, train_labels):
    torch.manual_seed(7)
    ds = TensorDataset(train_images.view(-1, 784), train_labels)
    loader = DataLoader(ds, batch_size=50, shuffle=True)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 200), nn.ReLU(), nn.Linear(200, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(6):
        for xb, yb in loader:
            loss = cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model


def confusion_matrix(preds, targets, n_classes):
    cm = torch.zeros(n_classes, n_classes, dtype=torch.long)
    cm.index_put_((targets, preds), torch.ones_like(targets), accumulate=True)
    return cm
