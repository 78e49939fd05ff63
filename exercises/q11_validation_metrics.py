"""Question 11: Where metrics are measured (fastbook ch. 4, question 11).

A metric such as accuracy is there to tell people how good a model is. The model is
trained on one set of items (the training set); another set, never used to change the
weights, is kept apart (the validation set). Which of the two should the metric be
measured on? Find out by letting a small net learn a handful of digits by heart.

Part 1. Write `accuracy(model, x, y)`: the share of the rows of `x` that `model`
classifies correctly, a number between 0 and 1. `model(x)` gives one raw score per row,
shape `(n, 1)`, and a score above 0 means "a 3" (0 itself means "a 7"); the labels `y`
are an `(n, 1)` float tensor, 1.0 for a 3 and 0.0 for a 7.

Part 2. Write `overfit(x, y)`: make a net with `small_net()`, train it on exactly the
rows `x` and labels `y` it is given, with `train` (both given below: keep them as they
are), and return it once `accuracy(net, x, y)` is 1.0. One call of `train` takes five
small steps: call it again while the net still gets a row wrong (a few calls do it). The
grader hands you ten digits, sometimes with labels that are not their real ones: a net
this size learns any labels by heart, right or wrong.

Then run the experiment at the bottom of the file (`python q11_validation_metrics.py`):
it overfits ten training digits and measures your accuracy on them and on the 100
validation digits, with their real labels and with made-up ones.

Part 3. `WHY`: which statement explains where the metric belongs?

   a) The training set is bigger, so its accuracy is the more precise one.
   b) Training items may be memorised; only unseen ones show how it generalises.
   c) Validation only serves to pick the learning rate; report the training accuracy.
   d) Validation accuracy is what SGD minimises, so that is where it must be measured.

What your overfit net scores on its ten digits, on the validation digits and on digits no
public function hands out is shown with your result.

Given: `small_net` and `train`; for part 2, ten digits `x` (rows of 784 pixels) and their
labels `y`. Graded: your accuracy for many models and sets; that your overfit net gets its
ten digits right, whatever their labels, having trained on them alone; and the letter.
"""
import torch
import torch.nn.functional as F
from torch import nn

from fastquiz.reference import load_mnist_sample


def accuracy(model, x: torch.Tensor, y: torch.Tensor) -> float:
    raise NotImplementedError("the share of the rows that model classifies correctly")


# Given: do not change. A net with one hidden layer of 30 units.
def small_net() -> nn.Module:
    return nn.Sequential(nn.Linear(28 * 28, 30), nn.ReLU(), nn.Linear(30, 1))


# Given: do not change. Five steps of gradient descent over all the rows of x. The loss is like
# mnist_loss, but keeps pulling at a confident mistake where mnist_loss lets go (binary
# cross-entropy, which chapter 5 explains): with labels made up, mnist_loss can get stuck.
def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, lr: float = 0.3) -> None:
    for _ in range(5):
        loss = F.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
                p.grad = None


def overfit(x: torch.Tensor, y: torch.Tensor) -> nn.Module:
    raise NotImplementedError("train small_net() on x, y until it gets every row right; return it")


WHY = None  # one letter: "a", "b", "c" or "d"


if __name__ == "__main__":  # the experiment: python q11_validation_metrics.py
    sample = load_mnist_sample()
    (train_x, train_y), (valid_x, valid_y) = sample.xy("train"), sample.xy("valid")
    rows = torch.randperm(len(train_x))[:10]
    for name, labels in [("real labels", train_y[rows]), ("made-up labels", torch.randint(0, 2, (10, 1)).float())]:
        net = overfit(train_x[rows], labels)
        print(f"{name}: {accuracy(net, train_x[rows], labels):.0%} of its 10 training digits, "
              f"{accuracy(net, valid_x, valid_y):.0%} of the 100 validation digits")


# Not graded: explain, in your own words, which set of data a metric should be
# measured on, and what goes wrong with the other one.
EXPLAIN = """
"""
