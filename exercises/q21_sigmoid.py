"""Question 21: The sigmoid and its shape (fastbook ch. 4, question 21).

The sigmoid is the function  sigmoid(x) = 1 / (1 + e^(-x)).  The chapter sends every
output of the linear model through it before the loss is measured.

1. Write `sigmoid(x)`: for a tensor `x` of any shape, return the tensor of the same shape
   holding the sigmoid of each element, computed from the formula above. It has to give
   real numbers, never nan, even for inputs as far out as -1000 or 1000.

       >>> sigmoid(torch.tensor([0.0, 2.0, -2.0]))
       tensor([0.5000, 0.8808, 0.1192])

2. Write `plot_sigmoid()`: draw sigmoid(x) as one line, with at least 20 points, over an
   x range that covers at least -4 to 4, and return the matplotlib Figure. Make the
   figure with `fig = Figure()` and its axes with `ax = fig.subplots()` (pyplot is not
   needed). The grader reads the line's data, not the picture.

3. Look at your curve. What is special about its shape, the property that makes the
   sigmoid useful in front of the loss? Set SHAPE to the letter of the best answer:

   a) Any number lands in (0, 1), never at either end; it rises, and is 0.5 at 0.
   b) It is bounded by 0 and -1 (or -1 and 1), and it goes through 0 at x = 0.
   c) It is a step: 0 for negative inputs, 1 for positive ones, like x > 0.
   d) It goes down: the larger the input, the closer the output gets to zero.

Graded: your sigmoid on random tensors and on inputs as far out as ±1000; the line your
plot_sigmoid draws (read from the figure); and the letter.
"""
import torch
from matplotlib.figure import Figure


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("return 1 / (1 + e^(-x)) for every element of x")


def plot_sigmoid() -> Figure:
    raise NotImplementedError("plot sigmoid(x) for x from -4 (or less) to 4 (or more) and return the Figure")


SHAPE = None  # the letter of the best answer to part 3, e.g. "a"


# Not graded: explain, in your own words, what the sigmoid's graph looks like and what is special about its shape.
EXPLAIN = """
"""
