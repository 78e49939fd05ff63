"""Question 24: What a DataLoader does (fastbook ch. 4, question 24).

SGD updates the weights after each *mini-batch*: a handful of items rather than one item
or the whole data set. A DataLoader is what serves those mini-batches: given a collection
of items, it cuts it into batches of a chosen size, after shuffling it into a fresh
random order each time round when asked to (the chapter shows `shuffle=True` on a small
collection; for training, a new order every epoch keeps the batches from being the same
groups each time).

1. Write `minibatches(x, y, batch_size, shuffle=False, seed=0)` in the spirit of a
   DataLoader. `x` holds the inputs and `y` the labels, one per row (the same number of
   rows). Return a list of `(xb, yb)` pairs such that:

   - every row appears in exactly one batch, and each `yb` holds the labels of exactly
     the rows in its `xb`, in the same order;
   - every batch has `batch_size` rows, except the last one, which keeps whatever is
     left over (it is not dropped);
   - with `shuffle=False` the rows come in their original order;
   - with `shuffle=True` they come in a random order that depends only on `seed`: the
     same seed gives the same batches, another seed another order. Use a random
     generator of your own, such as `torch.Generator().manual_seed(seed)` or
     `numpy.random.default_rng(seed)`, not the global one.

       >>> x, y = torch.arange(10).view(5, 2), torch.tensor([0, 1, 2, 3, 4])
       >>> [yb.tolist() for xb, yb in minibatches(x, y, 2)]
       [[0, 1], [2, 3], [4]]

2. What does a DataLoader do? Set DATALOADER to the letter of the best answer:

   a) It reads the image files from disk and turns each one into a tensor.
   b) It splits the labelled data into a training set and a validation set.
   c) It serves a collection as mini-batches, reshuffled each time if asked.
   d) It runs the model over the data a batch at a time, keeping the outputs.

Given: `x` and `y` with the same number of rows. Graded: your batches for random sizes and
seeds (every row once, with its label, in batches of the right sizes); your order without
shuffling; that the same seed gives the same order and another seed another (without
seeding the global generator); and the letter.
"""
import torch


def minibatches(x: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle: bool = False, seed: int = 0) -> list:
    raise NotImplementedError("return a list of (xb, yb) batches")


DATALOADER = None  # the letter of the best answer to part 2, e.g. "a"


# Not graded: explain, in your own words, what the DataLoader class does.
EXPLAIN = """
"""
