"""Question 37: one nonlinearity is enough in theory, so why go deeper? (fastbook ch. 4, question 37).

Part 1. Write `count_parameters(layer_sizes)`: the number of trainable numbers in a stack
of fully connected layers (`nn.Linear`) whose sizes are given in order, from the input to
the output. For example `[784, 30, 1]` is the chapter's simple_net: a layer from 784
inputs to 30 outputs, then one from 30 to 1 (ReLUs between them have no parameters).
Count every number SGD would update.

    >>> count_parameters([3, 2])
    8

Part 2. True or false: a network with a single hidden layer followed by a nonlinearity
can, in theory, approximate any continuous function on a bounded range as closely as we
want, provided that hidden layer is made large enough.

Part 3. Why, then, do practitioners usually stack many layers instead?

    a) Because one hidden layer, however wide, can only ever represent linear functions;
       the nonlinear ones need depth.
    b) Because in practice deeper networks of smaller layers reach good accuracy with far
       fewer parameters, and train faster and better, than one enormous hidden layer.
    c) Because the theorem holds only for sigmoid activations, so networks that use ReLU
       need several layers to make up for it.
    d) Because every extra layer adds parameters, and more parameters always make a
       network generalise better to new data.
"""


def count_parameters(layer_sizes: list[int]) -> int:
    raise NotImplementedError("count the weights and biases here")


ONE_HIDDEN_LAYER_IS_ENOUGH_IN_THEORY = None  # Part 2: True or False

WHY_DEEPER = None  # Part 3: the letter of the right answer, e.g. "a"


# Not graded: explain, in your own words, why we normally use more than one nonlinearity
# even though one is enough, in theory, to approximate any function.
EXPLAIN = """
"""
