"""Question 20: Accuracy versus a loss SGD can follow (fastbook ch. 4, question 20).

Accuracy is what we care about, so why not let SGD improve it directly? Find out with
an experiment on a real model: the chapter's linear model `nn.Linear(28 * 28, 1)` and a
batch of real 3s and 7s (a score above 0 means "a 3"). `accuracy_as_loss` below (given,
keep it as it is) is 1 minus the accuracy, written so that autograd can run through it:
`sigmoid(p).round()` is 1 where p > 0 and 0 below, which is the prediction.

Part 1. Write `loss_and_accuracy_gradients(model, x, y)`: two tensors shaped like
`model.weight`: the gradient of `mnist_loss(model(x), y)` with respect to `model.weight`,
then the gradient of `accuracy_as_loss(model(x), y)` with respect to it, both computed
by autograd (`backward()` or `torch.autograd.grad`). Look at the second one.

Part 2. Write `train(model, x, y, loss_func, lr, steps)`: `steps` steps of SGD on the
whole batch, each moving every parameter of `model` by `lr` times its gradient of
`loss_func(model(x), y)` (against it), in place, with the gradients reset between steps.
Return the list of the loss values (numbers), each measured before its step.

    >>> train(model, x, y, mnist_loss, 1.0, 5)          # the loss goes down
    >>> train(model, x, y, accuracy_as_loss, 1.0, 5)    # and here?

The size of each gradient, and the losses of each training, are shown with your result.

Given: `model`, `x` (rows of 784 pixels) and `y` (1.0 for a 3, 0.0 for a 7, shape (n, 1)).
Graded: your two gradients, against autograd's; and what your training does to the
weights with each loss, against plain SGD's.
"""
import torch

from fastquiz.reference import mnist_loss


# Given: do not change. 1 - accuracy, as a loss autograd can run through.
def accuracy_as_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return (torch.sigmoid(predictions).round() - targets).abs().mean()


def loss_and_accuracy_gradients(model, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    raise NotImplementedError("the gradients of mnist_loss and of accuracy_as_loss with respect to model.weight")


def train(model, x: torch.Tensor, y: torch.Tensor, loss_func, lr: float, steps: int) -> list[float]:
    raise NotImplementedError("steps of plain SGD with loss_func; return the loss before each step")


# Not graded: explain, in your own words, what makes accuracy unfit for SGD to minimise.
EXPLAIN = """
"""
