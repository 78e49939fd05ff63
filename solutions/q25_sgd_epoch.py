"""Question 25: Pseudocode for an epoch of SGD (fastbook ch. 4, question 25). Model answer."""
import torch

from fastquiz.reference import mnist_loss


def train_epoch(model, batches: list, params: list[torch.Tensor], lr: float) -> None:
    for xb, yb in batches:
        loss = mnist_loss(model(xb), yb)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()


EXPLAIN = """
for each epoch:
    for each mini-batch (xb, yb) of the (shuffled) training data:
        predictions = model(xb)                    # predict
        loss = loss_func(predictions, yb)          # measure how wrong we are
        loss.backward()                            # gradient of the loss for each parameter
        for p in parameters: p -= lr * p.grad      # step against the gradient
        for p in parameters: p.grad.zero_()        # gradients add up, so clear them
    measure the metric (e.g. accuracy) on the validation set
"""
