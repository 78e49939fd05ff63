"""Question 22: loss function versus metric (fastbook ch. 4, question 22). Model answer."""
import torch

LOSS_OR_METRIC = {"accuracy": "metric", "error_rate": "metric", "mnist_loss": "loss", "mse": "loss"}


def batch_accuracy(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    correct = (preds.sigmoid() > 0.5) == targets.bool()
    return correct.float().mean()


WHY_NOT_ACCURACY = "a"


EXPLAIN = """
A metric is for people: it tells us how well the model does the job we care about, in
terms we understand (accuracy, error rate). A loss is for the training algorithm: SGD
takes its gradient to decide how to change each weight, so it must change smoothly, and
in the right direction, when the weights change a little. Accuracy is a poor loss
because it only changes when a prediction flips from one side of the threshold to the
other, so its gradient is almost always zero; a loss such as mnist_loss rewards every
small step towards a more confident, correct prediction.
"""
