from . import Variant

MUTANTS = [
    Variant("softmax probability without the log", old="    log_probs = logits - logits.logsumexp(dim=1, keepdim=True)\n",
            new="    log_probs = logits.exp() / logits.exp().sum(dim=1, keepdim=True)\n"),
    Variant("log of a sum of exps, which overflows", old="logits - logits.logsumexp(dim=1, keepdim=True)",
            new="logits - logits.exp().sum(dim=1, keepdim=True).log()"),
    Variant("calls PyTorch's cross_entropy", old=(
        "    log_probs = logits - logits.logsumexp(dim=1, keepdim=True)\n"
        "    return -log_probs[torch.arange(len(targets)), targets].mean()\n"
    ), new="    return torch.nn.functional.cross_entropy(logits, targets)\n"),
    Variant("one output that regresses the digit's value", old=(
        "    model = nn.Sequential(nn.Linear(28 * 28, 100), nn.ReLU(), nn.Linear(100, 10))\n"
        "    lr, batch_size = 0.5, 64\n    for _ in range(max(1, 12_000 // len(x))):  # three epochs of 4,000 digits, one of 60,000\n"
        "        order = torch.randperm(len(x))\n"
        "        for start in range(0, len(x), batch_size):\n            idx = order[start:start + batch_size]\n"
        "            loss = cross_entropy(model(x[idx]), train_labels[idx])\n"
    ), new=(
        "    model = nn.Sequential(nn.Linear(28 * 28, 100), nn.ReLU(), nn.Linear(100, 1))\n"
        "    lr, batch_size = 0.01, 64\n    for _ in range(10):\n        order = torch.randperm(len(x))\n"
        "        for start in range(0, len(x), batch_size):\n            idx = order[start:start + batch_size]\n"
        "            loss = ((model(x[idx]).squeeze(1) - train_labels[idx].float()) ** 2).mean()\n"
    )),
    Variant("returns None from cross_entropy", old="    return -log_probs[torch.arange(len(targets)), targets].mean()\n",
            new="    -log_probs[torch.arange(len(targets)), targets].mean()\n"),
    Variant("memorises the digits load_mnist_digits hands out, and guesses elsewhere", old=(
        "def train_ten_digits(train_images: torch.Tensor, train_labels: torch.Tensor) -> nn.Module:\n"), new=(
        "class _Recall(nn.Module):\n    def __init__(self, images, labels):\n        super().__init__()\n"
        "        self.images, self.labels = images.reshape(len(images), -1), labels\n\n"
        "    def forward(self, x):\n        nearest = torch.cdist(x, self.images).argmin(1)\n"
        "        return nn.functional.one_hot(self.labels[nearest], 10).float()\n\n\n"
        "def train_ten_digits(train_images: torch.Tensor, train_labels: torch.Tensor) -> nn.Module:\n"
        "    from fastquiz.reference import load_mnist_digits\n    seen = load_mnist_digits()\n"
        "    return _Recall(seen.valid_images[:100], seen.valid_labels[:100])\n")),
    Variant("a smooth but wrong loss: squared error of the softmax", old=(
        "    log_probs = logits - logits.logsumexp(dim=1, keepdim=True)\n"
        "    return -log_probs[torch.arange(len(targets)), targets].mean()\n"), new=(
        "    probs = (logits - logits.logsumexp(dim=1, keepdim=True)).exp()\n"
        "    return ((probs - torch.eye(logits.shape[1])[targets]) ** 2).sum(1).mean()\n")),
    Variant("confusion matrix with predictions as rows", old="matrix[true, predicted] += 1",
            new="matrix[predicted, true] += 1"),
]

ALTERNATIVES = [
    Variant("subtracts the row maximum, picks with a one-hot mask", old=(
        "    log_probs = logits - logits.logsumexp(dim=1, keepdim=True)\n"
        "    return -log_probs[torch.arange(len(targets)), targets].mean()\n"
    ), new=(
        "    shifted = logits - logits.max(dim=1, keepdim=True).values\n"
        "    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()\n"
        "    one_hot = torch.zeros_like(log_probs).scatter_(1, targets[:, None], 1.0)\n"
        "    return -(log_probs * one_hot).sum() / len(targets)\n"
    )),
    Variant("torch.gather", old="    return -log_probs[torch.arange(len(targets)), targets].mean()\n",
            new="    return -log_probs.gather(1, targets.unsqueeze(1)).mean()\n"),
    Variant("a linear model with torch.optim.SGD and F.cross_entropy for training", old=(
        "    model = nn.Sequential(nn.Linear(28 * 28, 100), nn.ReLU(), nn.Linear(100, 10))\n"
        "    lr, batch_size = 0.5, 64\n    for _ in range(max(1, 12_000 // len(x))):  # three epochs of 4,000 digits, one of 60,000\n"
        "        order = torch.randperm(len(x))\n"
        "        for start in range(0, len(x), batch_size):\n            idx = order[start:start + batch_size]\n"
        "            loss = cross_entropy(model(x[idx]), train_labels[idx])\n            loss.backward()\n"
        "            with torch.no_grad():\n                for p in model.parameters():\n"
        "                    p -= lr * p.grad\n                    p.grad = None\n"
    ), new=(
        "    model = nn.Linear(28 * 28, 10)\n    opt = torch.optim.SGD(model.parameters(), lr=0.5)\n"
        "    for _ in range(10):\n        order = torch.randperm(len(x))\n"
        "        for start in range(0, len(x), 64):\n            idx = order[start:start + 64]\n"
        "            loss = torch.nn.functional.cross_entropy(model(x[idx]), train_labels[idx])\n"
        "            loss.backward()\n            opt.step()\n            opt.zero_grad()\n"
    )),
    Variant("a model class of its own", old=(
        "    model = nn.Sequential(nn.Linear(28 * 28, 100), nn.ReLU(), nn.Linear(100, 10))\n"), new=(
        "    class Net(nn.Module):\n        def __init__(self):\n            super().__init__()\n"
        "            self.hidden, self.out = nn.Linear(28 * 28, 100), nn.Linear(100, 10)\n\n"
        "        def forward(self, x):\n            return self.out(torch.relu(self.hidden(x)))\n\n"
        "    model = Net()\n")),
    Variant("confusion matrix by bincount", old=(
        "    matrix = torch.zeros(n_classes, n_classes, dtype=torch.long)\n"
        "    for true, predicted in zip(targets.tolist(), preds.tolist()):\n        matrix[true, predicted] += 1\n"
        "    return matrix\n"
    ), new="    return torch.bincount(targets * n_classes + preds, minlength=n_classes ** 2).view(n_classes, n_classes)\n"),
    Variant("confusion matrix in numpy", old=(
        "    matrix = torch.zeros(n_classes, n_classes, dtype=torch.long)\n"
        "    for true, predicted in zip(targets.tolist(), preds.tolist()):\n        matrix[true, predicted] += 1\n"
        "    return matrix\n"
    ), new=(
        "    import numpy as np\n    matrix = np.zeros((n_classes, n_classes), dtype=int)\n"
        "    np.add.at(matrix, (np.asarray(targets), np.asarray(preds)), 1)\n    return matrix\n"
    )),
]
