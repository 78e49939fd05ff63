"""Checks for question 19: gradients from autograd, without touching the caller's tensor."""
from functools import partial

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ..probes import cubic, squashed, wave
from ._helpers import assert_choice, assert_close

QUESTION = Question(
    title="Who computes the gradients",
    source=19,
    hints=[
        "grad_of: make a copy that tracks gradients, call f on the copy, call backward() on the result, and read "
        "the copy's .grad. HOW: what has PyTorch seen of your function by the time you call backward()?",
        "grad_of: `c = x.detach().clone().requires_grad_(); f(c).backward(); return c.grad`. HOW: it records each "
        "operation as f runs.",
    ],
    sends=("fastquiz.grader.probes",),  # the functions grad_of differentiates
)


def _cubic_grad(c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return 3 * c[0] * x ** 2 + 2 * c[1] * x + c[2]


def _wave_grad(c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return c[0] * c[1] * torch.cos(c[1] * x) + 2 * x / x.numel()


def _squashed_grad(c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    s = torch.sigmoid(c[0] * x + c[1])
    return c[0] * s * (1 - s) / x.numel()


FUNCTIONS = [(cubic, _cubic_grad), (wave, _wave_grad), (squashed, _squashed_grad)]
shapes = st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple)


def _case(kind: int, shape: tuple, seed: int, strict: bool = True):
    g = torch.Generator().manual_seed(seed)
    f, df = FUNCTIONS[kind]
    c = torch.rand(3, generator=g, dtype=torch.float64) * 4 - 2
    x = torch.rand(shape, generator=g, dtype=torch.float64) * 4 - 2
    return partial(f, c, strict=strict), df(c, x), x


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(0, len(FUNCTIONS) - 1), shapes, st.integers(0, 2**16))
def test_returns_the_gradient_autograd_finds(student, kind, shape, seed):
    """Graded: "your gradients of several such functions at random inputs of many shapes". Rules: "Return the
    gradient of `f` at `x`, a tensor shaped like `x`", "computed by PyTorch's autograd (no formulas, no finite
    differences)"."""
    f, expected, x = _case(kind, shape, seed)
    got = student.function("grad_of")(f, x.clone())
    assert got is not None, (
        "grad_of returned None: .grad stays None until backward() has been called on f's result")
    assert_close(got, expected, f"grad_of on an input of shape {shape}", rtol=1e-6, atol=1e-9)


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(0, len(FUNCTIONS) - 1), shapes, st.integers(0, 2**16))
def test_leaves_the_callers_tensor_alone(student, kind, shape, seed):
    """Graded: "that the caller's `x` comes back untouched". Rule: "The caller's `x` must come back exactly as it
    was: same values, and no `.grad` left on it"."""
    f, _, x = _case(kind, shape, seed, strict=False)
    before = x.clone()
    student.function("grad_of")(f, x)
    assert torch.equal(x, before), "grad_of changed the values of the x it was given: work on a copy"
    assert x.grad is None, (
        "after grad_of, the caller's x has a .grad: backward() ran through the caller's own tensor; "
        "track gradients on a copy (x.detach().clone()) instead")


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_how_autograd_works(student):
    """Graded: "the letter"."""
    assert_choice(student.value("HOW"), "d", "abcd", "HOW")
