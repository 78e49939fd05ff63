"""Question 31: Why zero the gradients? (fastbook ch. 4, question 31). Model answer."""
import torch

from fastquiz.reference import mse, quadratic


def fit_quadratic(t: torch.Tensor, speed: torch.Tensor, params: torch.Tensor, lr: float, steps: int) -> list[float]:
    losses = []
    for _ in range(steps):
        loss = mse(quadratic(t, params), speed)
        loss.backward()
        with torch.no_grad():
            params -= lr * params.grad
        params.grad.zero_()
        losses.append(loss.item())
    return losses


EXPLAIN = """
PyTorch never overwrites a parameter's .grad: each call to backward() adds the newly
computed gradient to what is already stored there (which is handy when one gradient is
built from several pieces). A training step must use the gradient of the current batch
only, so after updating the parameters we reset .grad to zero (or None); otherwise the
next step would move the weights by the sum of all the gradients seen so far.
"""
