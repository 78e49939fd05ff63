"""Question 12: What SGD is (fastbook ch. 4, question 12). Model answer."""
import torch


def sgd_step(params: torch.Tensor, grads: torch.Tensor, lr: float) -> torch.Tensor:
    return params - lr * grads


STOCHASTIC = "c"


EXPLAIN = """
Stochastic gradient descent is the procedure that makes a model learn: start from some
weights, measure how wrong the predictions are with a loss, compute the gradient of that
loss with respect to every weight, and move each weight a small step (the learning rate
times its gradient) in the direction that lowers the loss; then repeat many times. It is
"stochastic" because each step's gradient comes from a random mini-batch of the data
rather than from the whole dataset, which makes steps cheap and plentiful.
"""
