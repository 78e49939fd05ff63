"""Checks for question 30: a gradient computed with backward, gradients that add up, and what backward is."""
import ast

import torch
from hypothesis import given, strategies as st

from ..question import Question
from ._helpers import assert_choice, assert_close, to_number, to_tensor

QUESTION = Question(
    title="What backward does",
    source=30,
    hints=[
        "Make a copy of x that requires gradients, compute the sum of squares from the copy, call .backward() "
        "on that single number, and read the copy's .grad. For part 2, does the second backward replace w.grad?",
        "`x = x.detach().clone().requires_grad_(); (x ** 2).sum().backward(); return x.grad`. "
        "Part 2: each backward adds 2 * 3 to w.grad.",
    ],
)


@QUESTION.part(points=2)
@given(shape=st.lists(st.integers(1, 5), min_size=0, max_size=3), seed=st.integers(0, 2**32 - 1))
def test_returns_the_gradient_of_the_sum_of_squares(student, shape, seed):
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * 3
    got = student.function("gradient_of_sum_of_squares")(x.clone())
    assert got is not None, (
        "gradient_of_sum_of_squares returned None: .grad stays None until backward is called on a result "
        "computed from a tensor that requires grad"
    )
    got = to_tensor(got, "the gradient")
    case = f"for x of shape {tuple(shape)}"
    assert got.shape == x.shape, f"{case} the gradient has shape {tuple(got.shape)}, expected {tuple(x.shape)}"
    if x.numel() and not (x == 0).all() and torch.allclose(got, x.double(), rtol=1e-4, atol=1e-5):
        raise AssertionError(f"{case} the function returned x itself: return x.grad, the gradient, after backward")
    assert_close(got, 2 * x, f"the gradient of (x ** 2).sum() {case}")


@QUESTION.part(points=1)
def test_leaves_the_callers_tensor_alone(student):
    x = torch.tensor([[1.5, -2.0, 0.25], [3.0, 0.0, -1.0]])
    before = x.clone()
    student.function("gradient_of_sum_of_squares")(x)
    assert torch.equal(x, before), "gradient_of_sum_of_squares changed the values of the x it was given"
    assert not x.requires_grad, (
        "after gradient_of_sum_of_squares the caller's x tracks gradients: work on a copy, x.detach().clone()"
    )
    assert x.grad is None, (
        "after gradient_of_sum_of_squares the caller's x has a .grad: call requires_grad_() on a copy of x, "
        "not on x itself"
    )


@QUESTION.part(points=1)
def test_gets_the_gradient_from_autograd(student):
    function = student.definition("gradient_of_sum_of_squares")
    called = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
              for node in ast.walk(function) if isinstance(node, ast.Call)}
    assert called & {"backward", "grad"}, (
        "gradient_of_sum_of_squares should get the gradient from PyTorch (call .backward() and read .grad, "
        "or torch.autograd.grad), not from a formula worked out by hand"
    )


@QUESTION.part(points=1)
def test_knows_that_gradients_add_up(student):
    answer = to_number(student.value("GRAD_AFTER_TWO_BACKWARDS"), "GRAD_AFTER_TWO_BACKWARDS")
    w = torch.tensor(3.0, requires_grad=True)
    (w * w).backward()
    once = w.grad.item()
    (w * w).backward()
    assert answer != once, (
        f"GRAD_AFTER_TWO_BACKWARDS: {answer:g} is w.grad after one backward; does the second one replace it?"
    )
    assert abs(answer - w.grad.item()) < 1e-6, \
        f"GRAD_AFTER_TWO_BACKWARDS: {answer:g} is not what w.grad holds: run the lines and think about why"


@QUESTION.part(points=1)
def test_knows_what_backward_does(student):
    assert_choice(student.value("BACKWARD"), "c", "abcd",
                  "BACKWARD (does backward change the weights? where do the gradients go?)")
