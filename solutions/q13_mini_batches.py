"""Question 13: what mini-batches are for (fastbook ch. 4, question 13). Model answer."""
import math


def updates_per_epoch(n_items: int, batch_size: int, drop_last: bool = False) -> int:
    if drop_last:
        return n_items // batch_size
    return math.ceil(n_items / batch_size)


WHY_MINI_BATCHES = "a"


EXPLAIN = """
Computing the loss over the whole dataset before every step would give an accurate
gradient but very few steps, and each would take a long time. Using a single item per
step gives many steps, but each gradient is so noisy that training is unstable, and it
leaves a GPU mostly idle. A mini-batch of a few dozen to a few hundred items sits in
between: its average gradient is a reasonable estimate, we still get many updates per
epoch, and a GPU handles all the items of the batch at once.
"""
