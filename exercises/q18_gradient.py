"""Question 18: What a gradient is (fastbook ch. 4, question 18).

For a function of several inputs, the gradient collects one derivative per input: how
fast the output changes when that one input moves a tiny bit and the others stay put.
You can estimate each derivative without any calculus, by nudging one input at a time.

1. Write `numerical_gradient(f, x, eps=1e-3)`. `f` takes a 1-D float64 tensor and
   returns a single number (a 0-d tensor); `x` is a 1-D float64 tensor. Return a tensor
   shaped like `x` whose entry i estimates the derivative of f with respect to x[i] by a
   central difference: evaluate f with x[i] raised by eps and with x[i] lowered by eps
   (all other entries unchanged), and divide the difference by the distance between
   those two points. A loop over the entries is fine. Leave `x` itself unchanged.

       >>> f = lambda x: (x ** 2).sum()
       >>> numerical_gradient(f, torch.tensor([1.0, -3.0], dtype=torch.float64))
       tensor([ 2.0000, -6.0000], dtype=torch.float64)

Given: `f`, a function of the grader's that you may call as often as you like. Graded:
your slopes for linear functions (whose gradient is their weights); and your slopes for
curved ones, against autograd, with `x` left as it was.
"""
import torch


def numerical_gradient(f, x: torch.Tensor, eps: float = 1e-3) -> torch.Tensor:
    raise NotImplementedError("nudge each entry up and down by eps and measure the slope")


# Not graded: explain, in your own words, what a gradient is.
EXPLAIN = """
"""
