"""Research task 2: All ten digits (fastbook ch. 4, Further Research 2).

The chapter tells 3s from 7s with one output per image and a sigmoid. Here you go on to
every digit, 0 to 9, as the book asks, on the full MNIST: the model gives ten scores per
image (one per digit, called logits), the predicted digit is the one with the highest
score, and training needs a loss that works for ten classes.

Part 1. Write `cross_entropy(logits, targets)` yourself, from tensor operations (not
F.cross_entropy, log_softmax, nll_loss or their nn classes). `logits` is (n, c) floats,
`targets` is (n,) class numbers (int64). For each row, turn the scores into
log-probabilities (log of the softmax), take the one of the right class, and return the
mean of minus those values, as a tensor with one number. It must stay finite for huge
scores (think of logits around 1000: what does exp do to them?), and you will train
with it, so keep it differentiable (torch only): `cross_entropy_gradient` below (given,
keep it as it is) is how the grader reads its gradient.

    >>> cross_entropy(torch.tensor([[2.0, 0.0], [0.0, 3.0]]), torch.tensor([0, 1]))
    tensor(0.0878)

Part 2. Write `train_ten_digits(train_images, train_labels)`: build and train a model on
all ten digits and return it (an nn.Module). `train_images` is (n, 28, 28) floats in
[0, 1], `train_labels` their digits (int64). The returned model must map a batch of
flattened images, shape (n, 784), to logits of shape (n, 10). With the full MNIST
downloaded (`fastquiz data download mnist`), you get its 60,000 training digits and the
check measures your model on the 10,000 of its testing folder, which it sends only once
your function has returned, and whose labels never leave the grader: aim for at least
93%. Without it, you get the 4,000 embedded training digits and are judged on 500 others:
aim for 85%. Keep training to a few seconds of one CPU core per 10,000 digits.

Part 3. Write `confusion_matrix(preds, targets, n_classes)`: an (n_classes, n_classes)
table of counts in which row i, column j counts the items of true class i that were
predicted as class j (so the diagonal holds the correct ones).

    >>> confusion_matrix(torch.tensor([0, 1, 1]), torch.tensor([0, 0, 1]), 2)
    tensor([[1, 1],
            [0, 1]])

Given: random logits and class numbers; the training digits; predictions and targets.
Graded: your loss and its gradient on random logits of every size, against PyTorch's; that
it is built from scratch; how well your trained model recognises digits it never saw; and
your confusion matrices.
"""
import torch
from torch import nn


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("the mean of minus the log-probability of the right class")


# Given: do not change. The grader calls it to read the gradient of your loss.
def cross_entropy_gradient(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    logits = logits.detach().clone().requires_grad_()
    cross_entropy(logits, targets).backward()
    return logits.grad


def train_ten_digits(train_images: torch.Tensor, train_labels: torch.Tensor) -> nn.Module:
    raise NotImplementedError("build, train and return the model")


def confusion_matrix(preds: torch.Tensor, targets: torch.Tensor, n_classes: int) -> torch.Tensor:
    raise NotImplementedError("count (true class, predicted class) pairs")


# Not graded: explain, in your own words, what changed going from two digits to ten, and
# what obstacles you met.
EXPLAIN = """
"""
