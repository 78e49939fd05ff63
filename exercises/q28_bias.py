"""Question 28: bias parameters (fastbook ch. 4, question 28).

The chapter's linear model gives each image one score: every pixel times its own weight,
all added up, plus one extra learned number, the *bias*. For a batch of images stored as
rows, that is a matrix product plus the bias.

1. Write `linear1(xb, weights, bias)`: `xb` has one image per row, shape (n, k);
   `weights` has shape (k, m); `bias` has shape (m,) (or (1,) when m is 1). Return the
   (n, m) tensor of predictions, row i, column j being sum over p of xb[i, p] *
   weights[p, j], plus bias[j].

       >>> linear1(torch.tensor([[1., 2.]]), torch.tensor([[3.], [4.]]), torch.tensor([0.5]))
       tensor([[11.5000]])

2. The chapter's model for 28x28 images, with one output, has a weight for each pixel
   and a bias. Set N_PARAMETERS to the number of numbers it learns in all.

3. Take any weights of shape (784, 1) and the all-zero (completely black) image. Set
   BLANK_WITHOUT_BIAS to the model's prediction for it when the model has no bias (just
   xb @ weights), and BLANK_WITH_BIAS to its prediction when the bias is
   torch.tensor([-1.5]).

4. Why do we need the bias? Set WHY_BIAS to the letter of the best answer:

   a) Without it, an input of all zeros gives 0 whatever the weights, and more generally
      the output can never be shifted up or down independently of the input; like the b
      in y = a*x + b, the bias gives the model that freedom, which makes it more
      flexible.
   b) It is a correction set by hand after training, to remove the model's systematic
      error.
   c) It adds a little random noise to every prediction, which stops the model from
      overfitting.
   d) It gives every pixel a second weight, so the model has twice as many parameters
      to learn with.
"""
import torch


def linear1(xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the (n, m) predictions: the matrix product plus the bias")


N_PARAMETERS = None  # a whole number: how many numbers the 28x28, one-output linear model learns

BLANK_WITHOUT_BIAS = None  # a number: the prediction for the all-zero image with no bias
BLANK_WITH_BIAS = None  # a number: the prediction for the all-zero image with bias torch.tensor([-1.5])

WHY_BIAS = None  # the letter of the best answer to part 4, e.g. "a"


# Not graded: explain, in your own words, what the bias parameters are and why a model needs them.
EXPLAIN = """
"""
