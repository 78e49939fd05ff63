"""Checks for question 30: one backward fills the gradient of every tracked tensor, and backward adds to .grad."""
from functools import partial

import torch
from hypothesis import given, strategies as st

from ..probes import tangled_loss
from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close, to_tensor

QUESTION = Question(
    title="What backward does",
    source=30,
    hints=[
        "gradients: make a tracked copy of each parameter, call loss_fn on the copies, call .backward() once on that "
        "single number, and read each copy's .grad. grad_after_backwards: does a second backward replace .grad? "
        "BACKWARD: where do the gradients go, and does anything else change?",
        "gradients: `copies = [p.detach().clone().requires_grad_() for p in params]; loss_fn(*copies).backward(); "
        "return [c.grad for c in copies]`. grad_after_backwards: each backward adds 2 * w to the copy's .grad. "
        "BACKWARD: it adds into .grad and steps nothing.",
    ],
    sends=("fastquiz.grader.probes",),  # what its checks hand to the answer to run there
)


def _layer(seed: int, n: int, k: int, m: int):
    """A loss of a (k, m) weight and an (m,) bias, with hidden data, and the parameters to take it at."""
    g = torch.Generator().manual_seed(seed)
    x, t = torch.randn(n, k, generator=g), torch.rand(n, m, generator=g)
    c = float(torch.rand((), generator=g)) * 0.1
    return partial(tangled_loss, x, t, c), [torch.randn(k, m, generator=g), torch.randn(m, generator=g)]


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(seed=st.integers(0, 2**16), n=st.integers(1, 8), k=st.integers(1, 5), m=st.integers(1, 4))
def test_one_backward_gives_the_gradient_of_every_parameter(student, seed, n, k, m):
    """Graded: "your gradients of such losses for random layers, against autograd's, with the caller's tensors left
    alone". Rules: "Return the list of the loss's gradients with respect to each parameter, in order, each shaped
    like its parameter", "Leave the caller's tensors as they were"."""
    loss_fn, params = _layer(seed, n, k, m)
    before = [p.clone() for p in params]
    got = student.function("gradients")(loss_fn, params)
    assert isinstance(got, (list, tuple)) and len(got) == 2, \
        "gradients should return a list of two tensors: the loss's gradient for the weight, then for the bias"
    assert all(g is not None for g in got), \
        "gradients returned None for a gradient: .grad stays None until backward() runs through that tensor"
    copies = [p.clone().requires_grad_() for p in params]
    loss_fn(*copies).backward()
    for name, value, copy in zip(("weight", "bias"), got, copies):
        assert_close(to_tensor(value, f"the {name}'s gradient"), copy.grad,
                     f"the loss's gradient with respect to the {name} ({tuple(copy.shape)})")
    for p, b in zip(params, before):
        assert torch.equal(p, b) and p.grad is None, (
            "gradients changed the caller's tensors (their values, or left a .grad on them): work on copies made with "
            "p.detach().clone().requires_grad_()")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_every_backward_adds_to_grad(student):
    """Graded: "what `.grad` holds after several backward calls". Rules: "call `backward` on it, `times` times over
    (a fresh computation each time), then return the copy's `.grad`", "leave `w` itself as it was"."""
    for times, shape in [(1, (3,)), (2, (2, 2)), (5, (4,))]:
        w = torch.randn(shape, generator=torch.Generator().manual_seed(times))
        given = w.clone()
        got = student.function("grad_after_backwards")(given, times)
        assert torch.equal(given, w) and given.grad is None, (
            "grad_after_backwards changed the w it was given (its values, or left a .grad on it): work on a copy, "
            "w.detach().clone().requires_grad_()")
        assert got is not None, "grad_after_backwards returned None: call backward(), then return the copy's .grad"
        got = to_tensor(got, "the copy's .grad")
        if times > 1 and got.shape == w.shape and torch.allclose(got, 2 * w.double()):
            raise AssertionError(f"after {times} backward calls, grad_after_backwards returned 2 * w, the gradient of "
                                 "one: call backward on a fresh (copy * copy).sum() each time, on the same copy")
        assert_close(got, 2 * times * w, f"the copy's .grad after {times} backward call(s) of (copy * copy).sum()")


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_backward_does(student):
    """Graded: "the letter"."""
    assert_choice(student.value("BACKWARD"), "c", "abcd",
                  "BACKWARD (does backward change the weights? where do the gradients go?)")
