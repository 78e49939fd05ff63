"""Checks for question 34: ReLU by hand, and its plot on [-2, 2]."""
import numpy as np
import torch
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

from ..question import BEHAVIOUR, SOURCE, Question
from ._helpers import assert_close, line_data, to_tensor
from ._ready_made import RELUS
from ._source import reachable

QUESTION = Question(
    title="ReLU, and its plot",
    source=34,
    hints=[
        "relu: rectified, the negative part of the line is cut off. What is left for x < 0, and for x > 0? "
        "plot_relu: evenly spaced x values from -2 to 2, and one line through (x, relu(x)).",
        "relu(x) = max(x, 0) element by element: `x.clamp(min=0)` or `torch.where(x > 0, x, 0.)`; plot_relu "
        "plots it for `xs = torch.linspace(-2, 2, 101)` with `ax.plot(xs, relu(xs))`.",
    ],
)

EPS = 0.05


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(hnp.arrays(np.float32, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
                  elements=st.floats(-1000, 1000, width=32)))
def test_relu_matches_torch_on_random_tensors(student, array):
    """Graded: "your relu on random tensors of many shapes". Rule: "return a tensor of the same shape in which every
    element is the rectified linear unit of the element of `x` at the same place"."""
    x = torch.from_numpy(array)
    got = student.function("relu")(x.clone())
    try:
        assert_close(got, torch.relu(x), f"relu on a tensor of shape {tuple(x.shape)}")
    except AssertionError:
        if x.numel() > 6:
            raise
        values = [round(v, 3) for v in to_tensor(got, "relu's result").flatten().tolist()]
        raise AssertionError(f"relu({x.flatten().tolist()}) gave {values}, expected {torch.relu(x).flatten().tolist()}") \
            from None


@QUESTION.part(points=1, kind=SOURCE)
def test_relu_is_built_from_simpler_operations(student):
    """Graded: "that neither relu nor a helper it calls uses a ready-made ReLU". Rule: "Don't call a ready-made ReLU
    (torch.relu, F.relu, nn.ReLU, or an activation of PyTorch's set to act as one"."""
    ran = student.function("relu")(torch.tensor([-1.5, 0.0, 2.0, -0.25, 3.5]))
    assert ran is not None, "relu returned None: return the result, then see how it is written"
    used = reachable(student, "relu").uses(RELUS)
    assert not used, (
        f"relu (or a helper it calls) uses a ready-made ReLU ({used[0]}): build it from simpler operations, such as "
        "a comparison"
    )


def _looks_right(x: np.ndarray, y: np.ndarray) -> str | None:
    """Why this line is not ReLU on [-2, 2], or None when it is."""
    if len(x) != len(y) or len(x) < 3:
        return "the line needs at least a few points"
    if x.min() > -2 + EPS or x.max() < 2 - EPS:
        return f"the line covers x from {x.min():.2g} to {x.max():.2g}, expected from -2 to +2"
    if x.min() < -2.5 or x.max() > 2.5:
        return f"the line covers x from {x.min():.2g} to {x.max():.2g}: draw it from -2 to +2, not wider"
    if not np.allclose(y, np.maximum(x, 0), atol=1e-3):
        where = "negative" if not np.allclose(y[x < 0], 0, atol=1e-3) else "positive"
        return f"the line's y values are not relu(x) for {where} x"
    return None


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_plot_relu_draws_relu_from_minus_two_to_two(student):
    """Graded: "the line plot_relu draws (read from the figure)". Rule: "draw relu(x) as one line for x going from -2
    to +2"."""
    lines = line_data(student.function("plot_relu")(), "plot_relu()")
    problems = [_looks_right(x, y) for x, y in lines]
    assert None in problems, f"plot_relu(): {problems[0]}"
