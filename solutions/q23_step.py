"""Question 23: Computing new weights from the learning rate (fastbook ch. 4, question 23). Model answer."""
import torch


def step(params: torch.Tensor, lr: float) -> None:
    with torch.no_grad():
        params -= lr * params.grad


# Given: do not change. The grader calls your step through it, as a training loop would, and looks
# at the parameter afterwards: does it still track its gradient, and is it still a leaf?
def step_and_look(params: torch.Tensor, lr: float) -> tuple[bool, bool]:
    step(params, lr)
    return params.requires_grad, params.is_leaf


EXPLAIN = """
The optimiser's step function. Once backward has stored the gradient of the loss in each
parameter's .grad, step moves every parameter a small distance against its gradient:
p -= lr * p.grad. The gradient says which way the loss goes up, so subtracting it makes
the loss go down, and the learning rate scales how big the move is. The update is done in
place and without gradient tracking (torch.no_grad), so that the model keeps using the same
tensors and the update itself is not recorded as part of the next gradient computation.
"""
