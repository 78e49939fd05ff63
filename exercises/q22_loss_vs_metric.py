"""Question 22: loss function versus metric (fastbook ch. 4, question 22).

Training the 3-versus-7 classifier uses two kinds of score, and they have different
jobs. The *loss* is what the computer works with: backward differentiates it and SGD
changes the weights to make it smaller, so it has to respond smoothly to tiny changes of
the weights. A *metric* is what we people read to decide whether the model is any good,
so it should mean something to us; it never has to be differentiated.

1. Set LOSS_OR_METRIC to a dict that maps each of these four keys to the string "loss"
   or "metric", according to the job the score does in the chapter:

       "accuracy"    the share of validation digits the model gets right, printed after
                     each epoch
       "error_rate"  1 - accuracy, the share it gets wrong, printed next to it
       "mnist_loss"  the sigmoid-based distance between predictions and labels that
                     `.backward()` is called on in every training step
       "mse"         the mean squared error that SGD makes smaller to fit a quadratic to
                     the roller coaster's speed

2. Write `batch_accuracy(preds, targets)`. `preds` are the linear model's raw outputs
   (before any sigmoid), `targets` hold 1.0 for a 3 and 0.0 for a 7, both of the same
   shape, (n, 1) or (n,). A prediction says "3" when its sigmoid is above 0.5. Return the
   share of predictions that agree with their target, as a number between 0 and 1 (a
   0-dimensional tensor or a float).

       >>> batch_accuracy(torch.tensor([[2.0], [-1.0], [0.3]]), torch.tensor([[1.0], [1.0], [0.0]]))
       tensor(0.3333)

3. Why can't accuracy itself be the loss? Set WHY_NOT_ACCURACY to the letter of the
   best answer:

   a) A tiny change of a weight almost never moves a prediction across the threshold,
      so accuracy stays exactly the same: its gradient is zero nearly everywhere and SGD
      gets no signal about which way to move the weights.
   b) Accuracy takes too long to compute to be evaluated on every mini-batch.
   c) Accuracy is higher when the model is better, while SGD makes things smaller; it is
      enough to minimise 1 - accuracy (the error rate) instead.
   d) Accuracy can only be measured on the validation set, never on training batches.
"""
import torch

LOSS_OR_METRIC = None  # a dict {"accuracy": ..., "error_rate": ..., "mnist_loss": ..., "mse": ...} of "loss"/"metric"


def batch_accuracy(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return the share of predictions on the right side of the threshold")


WHY_NOT_ACCURACY = None  # the letter of the best answer to part 3, e.g. "a"


# Not graded: explain, in your own words, how a loss function differs from a metric.
EXPLAIN = """
"""
