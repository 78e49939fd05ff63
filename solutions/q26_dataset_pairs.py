"""Question 26: Pairing inputs with labels (fastbook ch. 4, question 26). Model answer."""


def pair_up(xs, ys) -> list[tuple]:
    return list(zip(xs, ys))


PAIRS = "a"


EXPLAIN = """
pair_up is list(zip(xs, ys)). The result is a list of (input, label) tuples, which is
exactly what PyTorch and fastai mean by a dataset: something you can index, dset[i]
giving one independent variable together with its dependent variable (and unpack as
x, y = dset[i]), and whose length you can ask for. A DataLoader can take such a dataset
and turn it into shuffled mini-batches. Unlike the bare zip object, the list can be
indexed and iterated over as many times as you like.
"""
