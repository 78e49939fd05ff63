"""Question 21: The sigmoid and its shape (fastbook ch. 4, question 21). Model answer."""
import torch
from matplotlib.figure import Figure


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    return 1 / (1 + torch.exp(-x))


def plot_sigmoid() -> Figure:
    x = torch.linspace(-6, 6, 121)
    fig = Figure()
    ax = fig.subplots()
    ax.plot(x.numpy(), sigmoid(x).numpy())
    ax.set_xlabel("x")
    ax.set_ylabel("sigmoid(x)")
    return fig


SHAPE = "a"


EXPLAIN = """
The sigmoid is an S-shaped curve: close to 0 far to the left, close to 1 far to the
right, exactly 0.5 at 0, and always increasing in between, with no jumps or corners.
Whatever number goes in, what comes out lies strictly between 0 and 1, so a model's raw
outputs can be read as a confidence and compared with 0/1 labels. Because it is smooth
and increasing, a small change of a weight always changes the output a little, which
gives the loss useful gradients for SGD to follow.
"""
