"""Question 26: pairing inputs with labels (fastbook ch. 4, question 26).

The chapter builds its training set by putting each image next to its label. Here you
write the function that does that pairing, and look at what it produces.

1. Write `pair_up(xs, ys)`: given two sequences of the same length (lists, strings,
   tensors...), return a *list* whose i-th element is the *tuple* (xs[i], ys[i]).

       >>> pair_up([1, 2, 3, 4], 'abcd')
       [(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')]

   Applied to a tensor of images (one row per image) and a tensor of labels, it must give
   a list of (image, label) tuples, one per image.

2. What makes that list of tuples special for training a model? Set PAIRS to the letter
   of the best answer:

   a) It is the form a dataset takes in PyTorch and fastai: indexing it, dset[i], gives
      one input together with its label, and len(dset) says how many items there are,
      which is all a DataLoader needs to build mini-batches.
   b) It holds copies of the data, so the model can't change the original tensors.
   c) It works like a dictionary: look up an input and you get its label back.
   d) It is lazy: each pair is only made when the training loop asks for it, so it uses
      no memory.
"""


def pair_up(xs, ys) -> list[tuple]:
    raise NotImplementedError("return the list of (xs[i], ys[i]) tuples")


PAIRS = None  # the letter of the best answer to part 2, e.g. "a"


# Not graded: explain, in your own words, what is special about the structure pair_up returns.
EXPLAIN = """
"""
