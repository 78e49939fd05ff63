"""Question 11: Where metrics are measured (fastbook ch. 4, question 11).

A metric such as accuracy is there to tell people how good a model is. The model is
trained on one set of items (the training set); another set, never used to change the
weights, is kept apart (the validation set).

1. Write `evaluate(model, train_x, train_y, valid_x, valid_y)`. `model` maps a batch of
   rows (one item per row) to one raw score per item, shape `(n, 1)`; a score above 0
   means "class 1", otherwise "class 0". Labels are `(n, 1)` float tensors of 0s and 1s.
   Return the accuracy (the fraction of items classified correctly, a number between 0
   and 1) that tells you how well the model will do on data it has never seen. You are
   given both sets: choose the right one.

       >>> evaluate(model, train_x, train_y, valid_x, valid_y)
       0.62

2. `WHY`: which statement explains your choice?

   a) The training set is bigger, so its accuracy is the more precise one.
   b) Training items may be memorised; only unseen ones show how it generalises.
   c) Validation only serves to pick the learning rate; report the training accuracy.
   d) Validation accuracy is what SGD minimises, so that is where it must be measured.

Given: a model (a function from rows to scores), and both sets. Graded: the accuracy you
return for models that remember their training items, on sets of many sizes; and the letter.
"""
import torch


def evaluate(model, train_x: torch.Tensor, train_y: torch.Tensor,
             valid_x: torch.Tensor, valid_y: torch.Tensor) -> float:
    raise NotImplementedError("return the accuracy that predicts performance on new data")


WHY = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, which set of data a metric should be
# measured on, and what goes wrong with the other one.
EXPLAIN = """
"""
