"""Question 14: The seven steps of SGD (fastbook ch. 4, question 14). Model answer."""
import torch

from fastquiz.reference import mnist_loss

GOOD_ENOUGH = 0.02  # stop once the loss is below this


def init(n_inputs: int) -> torch.Tensor:
    return (torch.randn(n_inputs, 1) * 0.01).requires_grad_()


def predict(weights: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return x @ weights


def loss(predictions: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return mnist_loss(predictions, y)


def gradient(loss_value: torch.Tensor) -> None:
    loss_value.backward()


# Given: do not change. The grader calls it to see where your gradient lands.
def first_gradient(x: torch.Tensor, y: torch.Tensor):
    weights = init(x.shape[1])
    gradient(loss(predict(weights, x), y))
    return weights, weights.grad


def step(weights: torch.Tensor, lr: float) -> None:
    with torch.no_grad():
        weights -= lr * weights.grad
    weights.grad = None


def stop(epochs_done: int, loss_value, max_epochs: int) -> bool:
    return epochs_done >= max_epochs or float(loss_value) < GOOD_ENOUGH


def train(x: torch.Tensor, y: torch.Tensor, lr: float, max_epochs: int, init, predict, loss, gradient, step, stop):
    weights = init(x.shape[1])
    epochs_done = 0
    while True:
        loss_value = loss(predict(weights, x), y)
        gradient(loss_value)
        step(weights, lr)
        epochs_done += 1
        if stop(epochs_done, loss_value, max_epochs):
            return weights


EXPLAIN = """
1. Init: give every weight a starting value, usually a small random number.
2. Predict: run the model on the inputs (a mini-batch, or here all of them).
3. Loss: compare those outputs with the targets; the loss is small when they agree.
4. Gradient: work out, for every weight, how the loss would change if that weight
   changed a little (PyTorch does this with backward()).
5. Step: nudge every weight against its gradient, by the learning rate times it, and
   reset the gradients.
6. Repeat: go back to step 2 with the changed weights, epoch after epoch.
7. Stop: end when the model is good enough, or when the time budget runs out.
"""
