"""Question 30: what `backward` does (fastbook ch. 4, question 30). Model answer."""
import torch


def gradient_of_sum_of_squares(x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_()
    (x ** 2).sum().backward()
    return x.grad


GRAD_AFTER_TWO_BACKWARDS = 12.0

BACKWARD = "c"


EXPLAIN = """
backward computes gradients by back-propagation. PyTorch records how a result (here the
loss) was calculated from tensors that require gradients; calling loss.backward() goes
back through that record with the chain rule and works out the derivative of the loss
with respect to each of those tensors. The result is added to each tensor's .grad (not
stored in place of it, which is why the gradients must be reset between steps). It does
not change the weights: that is the optimiser's step.
"""
