"""Question 19: Who computes the gradients (fastbook ch. 4, question 19). Model answer."""
import torch


def grad_of(f, x: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_()
    f(x).backward()
    return x.grad


HOW = "d"


EXPLAIN = """
No. Once a tensor is marked with requires_grad_(), PyTorch remembers every operation
that uses it. Calling backward() on the final loss walks back through those operations
with the chain rule and fills each tracked tensor's .grad with the derivative of the
loss with respect to it. So we only write the forward calculation (model and loss), and
the gradients, however complicated the model, come for free.
"""
