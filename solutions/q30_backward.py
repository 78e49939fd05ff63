"""Question 30: What backward does (fastbook ch. 4, question 30). Model answer."""
import torch


def gradients(loss_fn, params: list[torch.Tensor]) -> list[torch.Tensor]:
    copies = [p.detach().clone().requires_grad_() for p in params]
    loss_fn(*copies).backward()
    return [c.grad for c in copies]


def grad_after_backwards(w: torch.Tensor, times: int) -> torch.Tensor:
    w = w.detach().clone().requires_grad_()
    for _ in range(times):
        (w * w).sum().backward()
    return w.grad


BACKWARD = "c"


EXPLAIN = """
backward computes gradients by back-propagation. PyTorch records how a result (here the
loss) was calculated from tensors that require gradients; calling loss.backward() goes
back through that record with the chain rule and works out the derivative of the loss
with respect to each of those tensors, all in one pass. The result is added to each
tensor's .grad (not stored in place of it: two backward calls leave twice the gradient,
which is why the gradients must be reset between steps). It does not change the weights:
that is the optimiser's step.
"""
