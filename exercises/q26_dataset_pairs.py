"""Question 26: Pairing inputs with labels (fastbook ch. 4, question 26).

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

   a) A dataset: dset[i] gives one input with its label; len(dset) the count.
   b) It holds copies of the data, so training can't change the original tensors.
   c) It works like a dictionary: look up an input and get its label back from it.
   d) It is lazy: each pair is made only when asked for, using no memory.

Graded: your pairs for the example; your pairs for random sequences (lists and strings); your
pairs of images and labels, which must index like a dataset; and the letter.
"""


def pair_up(xs, ys) -> list[tuple]:
    raise NotImplementedError("return the list of (xs[i], ys[i]) tuples")


PAIRS = None  # the letter of the best answer to part 2, e.g. "a"


# Not graded: explain, in your own words, what is special about the structure pair_up returns.
EXPLAIN = """
"""
