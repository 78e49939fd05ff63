"""Checks for question 12: one step of SGD, compared with the reference optimiser."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close, to_tensor, which
from ...reference import BasicOptim

QUESTION = Question(
    title="What SGD is",
    source=12,
    hints=[
        "sgd_step: the gradient points in the direction in which the loss grows. Which way should the weights "
        "move, and how far? STOCHASTIC: what does each step of SGD look at?",
        "sgd_step subtracts the learning rate times the gradient: `params - lr * grads`. STOCHASTIC: each step "
        "uses one random mini-batch, not the whole training set.",
    ],
)


shapes = st.lists(st.integers(1, 6), min_size=1, max_size=3).map(tuple)


def _reference_step(params: torch.Tensor, grads: torch.Tensor, lr: float) -> torch.Tensor:
    p = params.clone().requires_grad_()
    p.grad = grads.clone()
    BasicOptim([p], lr).step()
    return p.detach()


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(shapes, st.floats(1e-4, 10.0), st.integers(0, 2**16))
def test_steps_like_the_reference_optimiser(student, shape, lr, seed):
    """Graded: "your step on random parameters, gradients and learning rates, against the chapter's optimiser".
    Rules: "moves every weight a small amount the other way", "The learning rate `lr` sets how big that move is",
    "return the parameters after one SGD step, as a tensor of the same shape"."""
    g = torch.Generator().manual_seed(seed)
    params, grads = torch.randn(shape, generator=g), torch.randn(shape, generator=g)
    expected = _reference_step(params, grads, lr)
    got = student.function("sgd_step")(params.clone(), grads.clone(), lr)
    advice = which(got, {"that moves the parameters along the gradient, uphill: subtract lr * grads": params + lr * grads,
                         "that moves them by the whole gradient: the learning rate scales the move": params - grads,
                         "that divides the gradient by the learning rate: multiply by it": params - grads / lr})
    assert_close(got, expected, f"sgd_step on parameters of shape {shape} with lr={lr:.4g}", advice=advice)


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_repeated_steps_lower_a_loss(student):
    """Graded: "twenty of your steps on a small loss"."""
    sgd_step = student.function("sgd_step")
    target = torch.tensor([3.0, -1.0, 0.5])
    x = torch.zeros(3)
    losses = []
    for _ in range(20):
        x = x.detach().requires_grad_()
        loss = ((x - target) ** 2).sum()
        loss.backward()
        losses.append(loss.item())
        with torch.no_grad():
            x = to_tensor(sgd_step(x.detach().clone(), x.grad.clone(), 0.1), "sgd_step's result").float()
    assert losses[-1] < 0.01 * losses[0], (
        f"20 steps of sgd_step with lr=0.1 took the loss (x - target)**2 from {losses[0]:.3g} to {losses[-1]:.3g}: "
        "each step should move the parameters against the gradient, so that the loss goes down")


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_is_stochastic(student):
    """Graded: "the letter"."""
    assert_choice(student.value("STOCHASTIC"), "c", "abcd", "STOCHASTIC")
