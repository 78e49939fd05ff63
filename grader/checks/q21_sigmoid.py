"""Checks for question 21: the sigmoid from its formula, its plot, and what is special about its shape."""
import numpy as np
import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close, line_data, to_tensor
from ...reference import sigmoid

QUESTION = Question(
    title="The sigmoid and its shape",
    source=21,
    hints=[
        "sigmoid is 1 divided by (1 plus e to the power minus x); `torch.exp` works element by element. "
        "plot_sigmoid: make evenly spaced x values with `torch.linspace` and draw (x, sigmoid(x)) with `ax.plot`. "
        "SHAPE: compare each option with your plot.",
        "sigmoid: `1 / (1 + torch.exp(-x))` never gives nan: for very negative x the bottom is inf and 1/inf is 0. "
        "plot_sigmoid: `x = torch.linspace(-6, 6, 100); fig = Figure(); ax = fig.subplots(); "
        "ax.plot(x.numpy(), sigmoid(x).numpy()); return fig`. SHAPE: between 0 and 1, rising, 0.5 at 0.",
    ],
)

SHAPES = st.lists(st.integers(1, 6), min_size=0, max_size=3)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(shape=SHAPES, scale=st.sampled_from([0.5, 3.0, 20.0, 300.0]), seed=st.integers(0, 2**32 - 1))
def test_sigmoid_matches_the_formula_on_random_tensors(student, shape, scale, seed):
    """Graded: "your sigmoid on random tensors and on inputs as far out as ±1000". Rule: "for a tensor `x` of any
    shape, return the tensor of the same shape holding the sigmoid of each element, computed from the formula
    above"."""
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * scale
    before = x.clone()
    got = student.function("sigmoid")(x)
    assert torch.equal(x, before), "sigmoid changed the tensor it was given: compute a new tensor instead"
    got = to_tensor(got, "sigmoid(x)")
    assert not torch.isnan(got).any(), (
        f"sigmoid gave nan for inputs around ±{scale:g}: a form like e^x / (1 + e^x) becomes inf/inf for large x; "
        "write it as 1 / (1 + e^(-x))"
    )
    assert got.shape == x.shape, f"sigmoid returned shape {tuple(got.shape)} for an input of shape {tuple(x.shape)}"
    assert got.min() >= 0 and got.max() <= 1, (
        f"sigmoid returned values from {got.min().item():.3g} to {got.max().item():.3g}, but the sigmoid "
        "always lies between 0 and 1 (a result that goes down to -1 is tanh, not the sigmoid)"
    )
    if got.numel() and torch.allclose(got, 1 - sigmoid(x).double(), atol=1e-5) and (x.abs() > 0.1).any():
        raise AssertionError("sigmoid goes down as x goes up: e^(+x) in the bottom should be e^(-x)")
    assert_close(got, sigmoid(x), f"sigmoid(x) for x of shape {tuple(shape)} with values around ±{scale:g}")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_sigmoid_stays_finite_far_from_zero(student):
    """Graded: "your sigmoid on random tensors and on inputs as far out as ±1000". Rule: "never nan, even for
    inputs as far out as -1000 or 1000"."""
    x = torch.tensor([-1000.0, -100.0, -30.0, 0.0, 30.0, 100.0, 1000.0])
    got = to_tensor(student.function("sigmoid")(x), "sigmoid(x)")
    assert not torch.isnan(got).any(), (
        "sigmoid gave nan for an input like ±1000: e^1000 is inf in floating point, and inf/inf is nan; "
        "the form 1 / (1 + e^(-x)) only ever divides 1 by inf, which is 0"
    )
    assert_close(got, sigmoid(x), "sigmoid of [-1000, -100, -30, 0, 30, 100, 1000]")


def _the_curve(figure) -> tuple[np.ndarray, np.ndarray]:
    lines = [(x, y) for x, y in line_data(figure, "plot_sigmoid") if len(x) >= 20]
    assert lines, "plot_sigmoid's figure has no line with at least 20 points: use more x values (torch.linspace)"
    wide = [(x, y) for x, y in lines if np.nanmin(x) <= -4 and np.nanmax(x) >= 4]
    assert wide, (
        f"the line drawn covers x from {np.nanmin(lines[0][0]):.3g} to {np.nanmax(lines[0][0]):.3g}; "
        "draw it over at least -4 to 4 so that both flat ends show"
    )
    x, y = wide[0]
    order = np.argsort(x)
    return x[order], y[order]


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_plot_shows_the_sigmoid(student):
    """Graded: "the line your plot_sigmoid draws (read from the figure)". Rule: "draw sigmoid(x) as one line, with
    at least 20 points, over an x range that covers at least -4 to 4"."""
    x, y = _the_curve(student.function("plot_sigmoid")())
    assert np.isfinite(y).all(), "the plotted y values include nan or inf: check sigmoid for large inputs"
    assert y.min() >= 0 and y.max() <= 1, (
        f"the plotted curve goes from {y.min():.3g} to {y.max():.3g}, but the sigmoid stays between 0 and 1 "
        "(a curve that reaches -1 is tanh, not the sigmoid)"
    )
    assert (np.diff(y) >= -1e-6).all(), (
        "the plotted curve goes down somewhere: the sigmoid always rises (check the sign in e^(-x))"
    )
    middle = float(np.interp(0.0, x, y))
    assert abs(middle - 0.5) < 0.02, f"the plotted curve is at {middle:.3g} at x = 0, where the sigmoid is 0.5"
    expected = 1 / (1 + np.exp(-x))
    worst = float(np.abs(y - expected).max())
    assert worst < 1e-3, f"the plotted y values differ from 1 / (1 + e^(-x)) by up to {worst:.3g}"


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_is_special_about_the_shape(student):
    """Graded: "the letter"."""
    assert_choice(student.value("SHAPE"), "a", "abcd",
                  "SHAPE (compare each option with your plot: its range, its value at 0, and its direction)")
