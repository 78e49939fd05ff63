"""Question 35: Activation functions (fastbook ch. 4, question 35).

A linear layer computes `x @ w + b`: x has one row per item, w has one column per
output, b has one number per output.

Part 1. Two linear layers stacked with nothing between them: first `h = x @ w1 + b1`,
then `out = h @ w2 + b2`. Show that this stack is no more powerful than one linear
layer: write `collapse(w1, b1, w2, b2)` that returns `(w, b)` such that `x @ w + b`
equals `out` for every input `x`. Shapes: w1 (d_in, d_hidden), b1 (d_hidden,),
w2 (d_hidden, d_out), b2 (d_out,); w must be (d_in, d_out). Work it out on paper first.

Part 2. Write `two_layer(x, w1, b1, w2, b2)`: the same two layers, but with a ReLU
(negative numbers become zero) applied to the output of the first layer before it goes
into the second. The shapes are as in part 1; return an (n, d_out) tensor.

Part 3. Which statement about the function placed between two linear layers is right?

    a) It must be nonlinear: a linear one, or none, leaves the stack a single layer.
    b) Any function will do, doubling say: what adds power is the extra layer.
    c) It measures how wrong the predictions are, so that SGD can make it smaller.
    d) It must squash every output into (0, 1), as the sigmoid does, or SGD fails.

How far your one layer is from the stack, and how far your two_layer is from the nearest
single linear layer, are shown with your result.

Given: weights and biases of the shapes above (and inputs x for part 2). Graded: that
x @ w + b with your (w, b) equals the two stacked layers for random shapes and inputs;
your two_layer against the chapter's; and the letter.
"""
import torch


def collapse(w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    raise NotImplementedError("return the single layer's (w, b)")


def two_layer(x: torch.Tensor, w1: torch.Tensor, b1: torch.Tensor, w2: torch.Tensor, b2: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("two linear layers with a ReLU between them")


ACTIVATION = None  # Part 3: the letter of the right statement, e.g. "a"


# Not graded: explain, in your own words, what an activation function is.
EXPLAIN = """
"""
