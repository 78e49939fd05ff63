"""Checks for question 18: a central-difference gradient, compared with autograd."""
from functools import partial

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, Question
from ..probes import curvy_function, linear_function
from ._helpers import assert_close

QUESTION = Question(
    title="What a gradient is",
    source=18,
    hints=[
        "numerical_gradient: for each i, build two copies of x, one with x[i] + eps and one with x[i] - eps. "
        "The slope between f at those two points estimates the derivative with respect to x[i].",
        "In numerical_gradient the two points are 2 * eps apart: `grad[i] = (f(up) - f(down)) / (2 * eps)`, with "
        "`up, down = x.clone(), x.clone()` changed at i.",
    ],
    sends=("fastquiz.grader.probes",),  # what its checks hand to the answer to run there
)


def _linear(n: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(n, generator=g, dtype=torch.float64)
    return partial(linear_function, w), w


def _curvy(n: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    return partial(curvy_function, torch.rand(4, n, generator=g, dtype=torch.float64) * 4 - 2)


def _x(n: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed + 1)
    return torch.rand(n, generator=g, dtype=torch.float64) * 4 - 2


def _autograd(f, x: torch.Tensor) -> torch.Tensor:
    x = x.clone().requires_grad_()
    f(x).backward()
    return x.grad


def _numerical(student, f, x: torch.Tensor) -> torch.Tensor:
    before = x.clone()
    got = student.function("numerical_gradient")(f, x, 1e-3)
    assert torch.allclose(x, before, rtol=0, atol=1e-12), \
        "numerical_gradient changed the x it was given: nudge copies of x (x.clone()), not x itself"
    return got


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(1, 8), st.integers(0, 2**16))
def test_finds_the_slopes_of_a_linear_function(student, n, seed):
    """Graded: "your slopes for linear functions (whose gradient is their weights)". Rule: "Return a tensor shaped
    like `x` whose entry i estimates the derivative of f with respect to x[i]"."""
    f, w = _linear(n, seed)
    got = _numerical(student, f, _x(n, seed))
    assert_close(got, w, f"numerical_gradient of x -> (w * x).sum(), whose gradient is w, for x of length {n}")


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 8), st.integers(0, 2**16))
def test_matches_autograd_on_curved_functions(student, n, seed):
    """Graded: "your slopes for curved ones, against autograd, with `x` left as it was". Rules: "evaluate f with
    x[i] raised by eps and with x[i] lowered by eps (all other entries unchanged), and divide the difference by the
    distance between those two points", "Leave `x` itself unchanged"."""
    f, x = _curvy(n, seed), _x(n, seed)
    expected = _autograd(f, x)
    got = _numerical(student, f, x)
    assert_close(got, expected, f"numerical_gradient (central difference, eps=1e-3) of a curved function, "
                                f"for x of length {n}", rtol=1e-4, atol=1e-5)
