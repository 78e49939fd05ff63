"""Question 15: how the weights start (fastbook ch. 4, question 15).

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

2. `WHY_RANDOM`: why start from random values rather than, say, all zeros?

   a) With all weights at zero, the first loss would be too large for SGD to recover.
   b) Random starting values are what the word "stochastic" in SGD refers to.
   c) PyTorch cannot compute the gradient of a weight that is exactly zero.
   d) If all weights start equal, the units of a layer compute the same thing, get the
      same gradient and so stay identical forever; random values break that symmetry
      (and SGD will improve them anyway).
"""
import torch


def init_params(size, std: float = 1.0) -> torch.Tensor:
    raise NotImplementedError("return random normal weights that track their gradient")


# Given: do not change. The grader calls it to see that your weights track their gradient.
def one_backward_pass(size):
    weights = init_params(size)
    (weights ** 2).sum().backward()
    return weights, weights.grad


WHY_RANDOM = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, how a model's weights get their starting values.
EXPLAIN = """
"""
