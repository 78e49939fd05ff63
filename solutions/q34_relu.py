"""Question 34: ReLU, and its plot (fastbook ch. 4, question 34). Model answer."""
import torch
from matplotlib.figure import Figure


def relu(x: torch.Tensor) -> torch.Tensor:
    return x.clamp(min=0)


def plot_relu() -> Figure:
    fig = Figure()
    ax = fig.subplots()
    xs = torch.linspace(-2, 2, 101)
    ax.plot(xs, relu(xs))
    ax.set_xlabel("x")
    ax.set_ylabel("relu(x)")
    return fig


EXPLAIN = """
ReLU, the rectified linear unit, replaces every negative number with zero and leaves
every positive number as it is: relu(x) = max(x, 0). From -2 to 0 its plot is flat on
the x axis; at 0 it bends, and from 0 to +2 it is the straight line y = x, reaching 2.
It is the nonlinearity placed between the linear layers of the chapter's simple_net.
"""
