"""Research task 2: all ten digits (fastbook ch. 4, Further Research 2).

The chapter tells 3s from 7s with one output per image and a sigmoid. Here you go on to
every digit, 0 to 9: the model gives ten scores per image (one per digit, called logits),
the predicted digit is the one with the highest score, and training needs a loss that
works for ten classes.

Part 1. Write `cross_entropy(logits, targets)` yourself, from tensor operations (not
F.cross_entropy, log_softmax, nll_loss or their nn classes). `logits` is (n, c) floats,
`targets` is (n,) class numbers (int64). For each row, turn the scores into
log-probabilities (log of the softmax), take the one of the right class, and return the
mean of minus those values, as a tensor with one number. It must stay finite for huge
scores (think of logits around 1000: what does exp do to them?), and you will train
with it, so keep it differentiable (torch only).

    >>> cross_entropy(torch.tensor([[2.0, 0.0], [0.0, 3.0]]), torch.tensor([0, 1]))
    tensor(0.0878)

Part 2. Write `train_ten_digits(train_images, train_labels)`: build and train a model
on all ten digits and return it (an nn.Module). `train_images` is (n, 28, 28) floats in
[0, 1] (400 images of each digit), `train_labels` their digits (int64). The returned model
must map a batch of flattened images, shape (n, 784), to logits of shape (n, 10). The
check measures its accuracy on 1,000 images it has never seen: aim for at least 85%.
Keep training to a few seconds on one CPU core.

Part 3. Write `confusion_matrix(preds, targets, n_classes)`: an (n_classes, n_classes)
table of counts in which row i, column j counts the items of true class i that were
predicted as class j (so the diagonal holds the correct ones).

    >>> confusion_matrix(torch.tensor([0, 1, 1]), torch.tensor([0, 0, 1]), 2)
    tensor([[1, 1],
            [0, 1]])
"""
import torch
from torch import nn


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("the mean of minus the log-probability of the right class")


def train_ten_digits(train_images: torch.Tensor, train_labels: torch.Tensor) -> nn.Module:
    raise NotImplementedError("build, train and return the model")


def confusion_matrix(preds: torch.Tensor, targets: torch.Tensor, n_classes: int) -> torch.Tensor:
    raise NotImplementedError("count (true class, predicted class) pairs")


# Not graded: explain, in your own words, what changed going from two digits to ten, and
# what obstacles you met.
EXPLAIN = """
"""
