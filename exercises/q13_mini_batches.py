"""Question 13: what mini-batches are for (fastbook ch. 4, question 13).

An epoch is one pass over every training item. A DataLoader cuts the (shuffled) items
into mini-batches of `batch_size` items, and the optimiser takes one step per
mini-batch. When the number of items is not a multiple of the batch size, the last batch
is smaller; with `drop_last=True` that incomplete batch is skipped.

1. Write `updates_per_epoch(n_items, batch_size, drop_last=False)`: how many optimiser
   steps one epoch takes. All arguments are positive integers (and a bool).

       >>> updates_per_epoch(1000, 64)
       16
       >>> updates_per_epoch(1000, 64, drop_last=True)
       15

2. `WHY_MINI_BATCHES`: why train on mini-batches rather than on one item at a time or on
   the whole dataset at once?

   a) It is a compromise: far more updates per epoch than a single step over the whole
      dataset, while the gradient averaged over a batch is much less noisy than one
      item's, and the items of a batch can be processed in parallel on a GPU.
   b) GPUs can only process batches of exactly 64 items, so the data must be cut up.
   c) Averaging the gradient over a batch fixes the size of each step, so mini-batches
      remove the need to choose a learning rate.
   d) Only to save memory: if the whole dataset fitted on the GPU, one update per epoch
      over all of it would train just as fast.
"""


def updates_per_epoch(n_items: int, batch_size: int, drop_last: bool = False) -> int:
    raise NotImplementedError("count the mini-batches of one epoch")


WHY_MINI_BATCHES = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, why SGD uses mini-batches.
EXPLAIN = """
"""
