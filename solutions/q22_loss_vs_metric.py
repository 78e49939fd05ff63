"""Question 22: Loss function versus metric (fastbook ch. 4, question 22). Model answer."""
import torch

from fastquiz.reference import mnist_loss


def batch_accuracy(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    correct = (preds.sigmoid() > 0.5) == targets.bool()
    return correct.float().mean()


def scores(model, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    with torch.no_grad():
        preds = model(x)
        return float(mnist_loss(preds, y)), float(batch_accuracy(preds, y))


def nudge_one_weight(model, x: torch.Tensor, y: torch.Tensor, index: int, delta: float) -> tuple[float, float]:
    loss_before, accuracy_before = scores(model, x, y)
    with torch.no_grad():
        model.weight[0, index] += delta
    loss_after, accuracy_after = scores(model, x, y)
    return loss_after - loss_before, accuracy_after - accuracy_before


EXPLAIN = """
A metric is for people: it tells us how well the model does the job we care about, in
terms we understand (accuracy, error rate). A loss is for the training algorithm: SGD
takes its gradient to decide how to change each weight, so it must change smoothly, and
in the right direction, when the weights change a little. Nudging one weight shows the
difference: the loss moves at once, while the accuracy only changes when a prediction
flips from one side of the threshold to the other, so for small nudges it stays put.
"""
