"""Checks for question 18: a central-difference gradient, compared with autograd."""
from functools import partial

import torch
from hypothesis import given, strategies as st

from ..question import Question
from ._helpers import assert_choice, assert_close

QUESTION = Question(
    title="What a gradient is",
    source=18,
    hints=[
        "For each i, build two copies of x: one with x[i] + eps and one with x[i] - eps. "
        "The slope between f at those two points estimates the derivative with respect to x[i].",
        "The two points are 2 * eps apart: `grad[i] = (f(up) - f(down)) / (2 * eps)`.",
    ],
)


# The functions handed to the student's code are module-level (bound with functools.partial),
# so that they run wherever the student's code runs.
def _linear_f(w: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return (w * x).sum() + 1.5


def _curvy_f(c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """A mix of cubes, squares, sines and one product of two entries."""
    return (c[0] * x ** 3 / 3 + c[1] * x ** 2 + c[2] * torch.sin(c[3] * x)).sum() + x[0] * x[-1]


def _linear(n: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(n, generator=g, dtype=torch.float64)
    return partial(_linear_f, w), w


def _curvy(n: int, seed: int):
    g = torch.Generator().manual_seed(seed)
    return partial(_curvy_f, torch.rand(4, n, generator=g, dtype=torch.float64) * 4 - 2)


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


@QUESTION.part(points=1)
@given(st.integers(1, 8), st.integers(0, 2**16))
def test_finds_the_slopes_of_a_linear_function(student, n, seed):
    f, w = _linear(n, seed)
    got = _numerical(student, f, _x(n, seed))
    assert_close(got, w, f"numerical_gradient of x -> (w * x).sum(), whose gradient is w, for x of length {n}")


@QUESTION.part(points=2)
@given(st.integers(1, 8), st.integers(0, 2**16))
def test_matches_autograd_on_curved_functions(student, n, seed):
    f, x = _curvy(n, seed), _x(n, seed)
    expected = _autograd(f, x)
    got = _numerical(student, f, x)
    assert_close(got, expected, f"numerical_gradient (central difference, eps=1e-3) of a curved function, for x of length {n}", rtol=1e-4, atol=1e-5)


@QUESTION.part(points=2)
def test_knows_what_the_sign_means(student):
    assert_choice(student.value("SLOPE_SIGN_MEANING"), "a", "abcd", "SLOPE_SIGN_MEANING")
