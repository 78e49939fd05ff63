"""Question 34: ReLU, and its plot (fastbook ch. 4, question 34).

Part 1. Write `relu(x)`: given a tensor of any shape, return a tensor of the same shape
in which every element is the rectified linear unit of the element of `x` at the same
place. Work out from its name, or from the chapter, what that unit does to negative and
to positive numbers. Don't call a ready-made ReLU (torch.relu, F.relu, nn.ReLU, or an
activation of PyTorch's set to act as one, such as a leaky ReLU of slope 0): build it from
simpler tensor operations (numpy is fine too).

    >>> relu(torch.tensor([-1.5, 0.0, 2.0]))
    tensor([0., 0., 2.])

Part 2. Write `plot_relu()`: draw relu(x) as one line for x going from -2 to +2 (enough
points that the shape is clear) and return the matplotlib Figure. Build the figure
without pyplot, for instance:

    from matplotlib.figure import Figure
    fig = Figure()
    ax = fig.subplots()
    ax.plot(xs, ys)
    return fig

Graded: your relu on random tensors of many shapes; that neither relu nor a helper it calls
uses a ready-made ReLU; and the line plot_relu draws (read from the figure).
"""
import torch
from matplotlib.figure import Figure


def relu(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("write relu here")


def plot_relu() -> Figure:
    raise NotImplementedError("draw relu from -2 to +2 here")


# Not graded: explain, in your own words, what ReLU is (and describe its plot from -2 to +2).
EXPLAIN = """
"""
