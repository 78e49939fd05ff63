"""Question 28: Bias parameters (fastbook ch. 4, question 28).

The chapter's linear model gives each image one score: every pixel times its own weight,
all added up, plus one extra learned number, the *bias*. For a batch of images stored as
rows, that is a matrix product plus the bias.

1. Write `linear1(xb, weights, bias)`: `xb` has one image per row, shape (n, k);
   `weights` has shape (k, m); `bias` has shape (m,) (or (1,) when m is 1). Return the
   (n, m) tensor of predictions, row i, column j being sum over p of xb[i, p] *
   weights[p, j], plus bias[j].

       >>> linear1(torch.tensor([[1., 2.]]), torch.tensor([[3.], [4.]]), torch.tensor([0.5]))
       tensor([[11.5000]])

2. Why do we need the bias? Set WHY_BIAS to the letter of the best answer:

   a) Without it a blank image gives 0 whatever the weights: no shift is possible.
   b) It is a correction set by hand after training, to remove a systematic error.
   c) It adds a little random noise to every prediction, which stops overfitting.
   d) It gives every pixel a second weight, so the model has twice the parameters.

Given: `xb`, `weights` and `bias` of the shapes above. Graded: your predictions for random
batches, weights and biases of many shapes, against the chapter's linear1; and the letter.
"""
import torch


def linear1(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the (n, m) predictions: the matrix product plus the bias")


WHY_BIAS = None  # the letter of the best answer to part 2, e.g. "a"


# Not graded: explain, in your own words, what the bias parameters are and why a model needs them.
EXPLAIN = """
"""
