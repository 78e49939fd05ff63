"""Question 37: one nonlinearity is enough in theory, so why go deeper? (fastbook ch. 4, question 37). Model answer."""


def count_parameters(layer_sizes: list[int]) -> int:
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes, layer_sizes[1:]))


ONE_HIDDEN_LAYER_IS_ENOUGH_IN_THEORY = True

WHY_DEEPER = "b"


EXPLAIN = """
The universal approximation theorem says a single hidden layer with a nonlinearity can
approximate any function, but it may need an enormous number of units to do so. In
practice, deeper networks with smaller layers reach the same accuracy with far fewer
parameters, and train faster and more reliably, so we stack several layers with a
nonlinearity between each pair.
"""
