"""Question 14: The seven steps of SGD (fastbook ch. 4, question 14).

Training with SGD follows the same recipe every time, in seven steps:

    init      give the weights their starting values
    predict   use the model to compute outputs for the inputs
    loss      measure how good or bad those outputs are
    gradient  work out how the loss changes when each weight changes
    step      change the weights a little, in the direction that lowers the loss
    repeat    go back to predict, with the weights changed
    stop      decide that training is over (good enough, or out of time)

Here the model is the chapter's linear model without a bias: its outputs are
`x @ weights`, and its loss is `mnist_loss` (imported below). Each round below uses the
whole of `x`, which makes it plain gradient descent; stochastic gradient descent runs the
same recipe on one random mini-batch per step instead (question 13 shows why).

Part 1. Write five of the steps as small functions:

- `init(n_inputs)`: new weights, shape `(n_inputs, 1)`, drawn at random (a normal
  distribution, times 0.01), that track their gradient;
- `predict(weights, x)`: the outputs for the rows of `x`;
- `loss(predictions, y)`: the loss of those outputs against the labels `y`;
- `gradient(loss_value)`: compute the gradient of the loss; it lands in the `.grad` of
  the weights the loss was computed from (`first_gradient`, given, is how the grader
  looks there: keep it as it is); what it returns is not used;
- `step(weights, lr)`: move the weights against their gradient by `lr` times it, in
  place, then reset their gradient for the next round; what it returns is not used.

Part 2. Write `stop(epochs_done, loss_value, max_epochs)`: True when training should end:
once `epochs_done` reaches `max_epochs`, or as soon as `loss_value` (a number, or a
tensor holding one) is below `GOOD_ENOUGH`.

Part 3. Write `train(x, y, lr, max_epochs, init, predict, loss, gradient, step, stop)`,
the recipe itself, using only the step functions it is handed (the grader hands it
yours, and also stand-ins of its own that note the order of the calls). Initialise the
weights, then repeat rounds of predict, loss, gradient and step on the whole of `x`, one
round per epoch, until `stop` says to end; return the weights. Ask `stop` once per round,
after the step (or before each round, in a `while not stop(...)` loop), telling it how
many rounds are done: 1 after the first round (0 before it), so that with `max_epochs=30`
training runs 30 rounds unless the loss gets good enough first.

    >>> weights = train(x, y, 1.0, 30, init, predict, loss, gradient, step, stop)

Given: `x`, one image of 784 pixels per row; `y`, its labels (1.0 for a 3, 0.0 for a 7),
shape `(n, 1)`. Graded: your init's weights; your predict, loss and gradient, against the
chapter's; your step; your stop; the order in which your train calls the steps and what it
hands each of them; the number of rounds your train runs; and how well your own steps, put
together by your train, tell apart 3s and 7s they never trained on.
"""
import torch

from fastquiz.reference import mnist_loss

GOOD_ENOUGH = 0.02  # stop once the loss is below this


def init(n_inputs: int) -> torch.Tensor:
    raise NotImplementedError("random weights of shape (n_inputs, 1) that track their gradient")


def predict(weights: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("the model's outputs for the rows of x")


def loss(predictions: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("how wrong the predictions are")


def gradient(loss_value: torch.Tensor) -> None:
    raise NotImplementedError("compute the gradients of the loss")


# Given: do not change. The grader calls it to see where your gradient lands.
def first_gradient(x: torch.Tensor, y: torch.Tensor):
    weights = init(x.shape[1])
    gradient(loss(predict(weights, x), y))
    return weights, weights.grad


def step(weights: torch.Tensor, lr: float) -> None:
    raise NotImplementedError("move the weights against their gradient, then reset it")


def stop(epochs_done: int, loss_value, max_epochs: int) -> bool:
    raise NotImplementedError("True once training should end")


def train(x: torch.Tensor, y: torch.Tensor, lr: float, max_epochs: int, init, predict, loss, gradient, step, stop):
    raise NotImplementedError("init, then rounds of predict, loss, gradient and step, until stop")


# Not graded: explain, in your own words, each step of the recipe SGD follows to train a model.
EXPLAIN = """
"""
