"""Question 15: Initialising the weights (fastbook ch. 4, question 15).

Before the first prediction, every weight needs a value. The chapter draws them at
random from a normal distribution (mean 0), scaled by a standard deviation `std`, and
asks PyTorch to track their gradients so that SGD can improve them later.

1. Write `init_params(size, std=1.0)`: a new float tensor of shape `size` (an int or a
   tuple of ints) whose values are drawn from a normal distribution with mean 0 and
   standard deviation `std`, and which tracks its gradient, so that after a backward
   pass its `.grad` holds the gradient. `one_backward_pass` below (given, keep it as it
   is) is how the grader checks that.

       >>> w = init_params((28 * 28, 1))
       >>> w.shape, w.requires_grad
       (torch.Size([784, 1]), True)

2. Why random values? For the chapter's linear model with one output, starting from all
zeros would train as well: every pixel's weight gets its own gradient anyway (try it).
Random values matter once a layer has several units. Write `hidden_gradients(w1, w2, x,
y)` for the two-layer net `relu(x @ w1) @ w2` (no biases; `w1` has one column per hidden
unit, shape `(n_inputs, n_hidden)`, and `w2` shape `(n_hidden, 1)`): the gradient of
`mnist_loss(relu(x @ w1) @ w2, y)` with respect to `w1`, shaped like `w1`. Leave `w1` and
`w2` as they were. Then compare its columns when every weight starts at the same value
and when they start at random: what would SGD ever do to tell the hidden units apart?

How far apart your gradient's columns are, for each start, is shown with your result.

Given: `size` as an int or a tuple; for part 2, `x` with one item per row and its labels
`y` (0.0 or 1.0, shape `(n, 1)`). Graded: the shape, spread and gradient tracking of
your weights (through `one_backward_pass`, which must stay as it is); and your gradients
for weights that start equal and weights that start at random.
"""
import torch

from fastquiz.reference import mnist_loss


def init_params(size, std: float = 1.0) -> torch.Tensor:
    raise NotImplementedError("return random normal weights that track their gradient")


# Given: do not change. The grader calls it to see that your weights track their gradient.
def one_backward_pass(size):
    weights = init_params(size)
    (weights ** 2).sum().backward()
    return weights, weights.grad


def hidden_gradients(w1: torch.Tensor, w2: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("the gradient of the two-layer net's loss with respect to w1")


# Not graded: explain, in your own words, how a model's weights get their starting values.
EXPLAIN = """
"""
