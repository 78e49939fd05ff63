"""Question 11: Where metrics are measured (fastbook ch. 4, question 11). Model answer."""
import torch
import torch.nn.functional as F
from torch import nn

from fastquiz.reference import load_mnist_sample


def accuracy(model, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return ((model(x) > 0).float() == y).float().mean().item()


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
    net = small_net()
    while accuracy(net, x, y) < 1.0:
        train(net, x, y)
    return net


WHY = "b"


if __name__ == "__main__":  # the experiment: python q11_validation_metrics.py
    sample = load_mnist_sample()
    (train_x, train_y), (valid_x, valid_y) = sample.xy("train"), sample.xy("valid")
    rows = torch.randperm(len(train_x))[:10]
    for name, labels in [("real labels", train_y[rows]), ("made-up labels", torch.randint(0, 2, (10, 1)).float())]:
        net = overfit(train_x[rows], labels)
        print(f"{name}: {accuracy(net, train_x[rows], labels):.0%} of its 10 training digits, "
              f"{accuracy(net, valid_x, valid_y):.0%} of the 100 validation digits")


EXPLAIN = """
On the validation set. Training changes the weights until the model does well on the
training items, and a flexible model can end up recalling those particular items rather
than learning what makes a 3 a 3: the small net gets all ten of its digits right, even
with made-up labels, while on the validation digits it does much worse (near a coin toss
with the made-up labels). Its training accuracy looks perfect either way, so it says
nothing about new images. Items that never took part in training are a fair stand-in for
the data the model will meet later, so that is where a metric tells the truth.
"""
