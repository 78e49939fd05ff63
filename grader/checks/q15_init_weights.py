"""Checks for question 15: random normal weights of the right shape that track their gradient."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, to_tensor
from ._source import assert_given_unchanged
from ...reference import mnist_loss

QUESTION = Question(
    title="Initialising the weights",
    source=15,
    hints=[
        "torch.randn draws from a normal distribution with mean 0 and standard deviation 1; "
        "multiplying by std rescales it. A tensor tracks gradients once you call requires_grad_() on it.",
        "Multiply first, then ask for gradients, so that the result is a leaf tensor: "
        "`(torch.randn(size) * std).requires_grad_()`.",
    ],
)


sizes = st.one_of(st.integers(1, 30), st.lists(st.integers(1, 8), min_size=1, max_size=3).map(tuple))


def _params(student, size, std=1.0) -> torch.Tensor:
    p = student.function("init_params")(size, std)
    assert isinstance(p, torch.Tensor), f"init_params should return a torch tensor, got {type(p).__name__}"
    return p


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(sizes, st.sampled_from([0.01, 0.5, 1.0, 2.0]))
def test_has_the_shape_asked_for_and_tracks_its_gradient(student, size, std):
    p = _params(student, size, std)
    shape = (size,) if isinstance(size, int) else size
    assert tuple(p.shape) == shape, f"init_params({size!r}) has shape {tuple(p.shape)}, expected {shape}"
    assert p.is_floating_point(), f"init_params should return floats, got {p.dtype}"
    assert_given_unchanged(student, "one_backward_pass")
    try:
        weights, grad = student.function("one_backward_pass")(size)
    except Exception as error:  # noqa: BLE001 (only autograd's complaint is translated; the rest goes on up)
        if "does not require grad" in str(error):
            raise AssertionError("backward() found nothing to differentiate: the tensor init_params returns does not "
                                 "track its gradient; call requires_grad_() on it") from None
        raise
    assert grad is not None, (
        "after backward() the weights' .grad is still None: init_params returned the result of a calculation "
        "(not a leaf tensor); do the arithmetic first, then call requires_grad_() on the result")
    assert_close(grad, 2 * to_tensor(weights, "the weights"), "the gradient of (weights ** 2).sum()")


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_draws_normal_values_with_mean_0_and_the_given_std(student):
    for std in (0.01, 0.3, 1.0, 3.0):
        a, b = (_params(student, (200, 100), std).detach().double() for _ in range(2))
        assert not torch.equal(a, b), "two calls to init_params returned the same values: draw them at random"
        mean, spread = a.mean().item(), a.std().item()
        assert abs(mean) < 0.05 * spread, (
            f"20,000 values from init_params(..., std={std}) average {mean:.4g}: a normal distribution centred on 0 "
            "is wanted (torch.rand draws from 0..1, whose mean is 0.5)")
        assert abs(spread / std - 1) < 0.05, (
            f"20,000 values from init_params(..., std={std}) have a standard deviation of {spread:.4g}, not {std}: "
            "draw from a standard normal and multiply by std")
        inside = (a.abs() < std).double().mean().item()
        assert abs(inside - 0.6827) < 0.03, (
            f"{inside:.1%} of the values lie within one std of 0, where a normal distribution has about 68%")


def _hidden_gradient(w1: torch.Tensor, w2: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    w1 = w1.clone().requires_grad_()
    mnist_loss(torch.relu(x @ w1) @ w2, y).backward()
    return w1.grad


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_hidden_units_that_start_equal_get_equal_gradients(student):
    g = torch.Generator().manual_seed(15)
    x, y = torch.rand(32, 6, generator=g), torch.randint(0, 2, (32, 1), generator=g).float()
    for start in ("equal", "random"):
        if start == "equal":
            w1, w2 = torch.full((6, 4), 0.3), torch.full((4, 1), 0.5)
        else:
            w1, w2 = torch.randn(6, 4, generator=g), torch.randn(4, 1, generator=g)
        before = w1.clone(), w2.clone()
        got = student.function("hidden_gradients")(w1, w2, x.clone(), y.clone())
        assert got is not None, "hidden_gradients returned None: call backward() on the loss, then read w1's .grad"
        assert torch.equal(w1, before[0]) and torch.equal(w2, before[1]), \
            "hidden_gradients changed w1 or w2: work on a copy that tracks its gradient"
        assert_close(got, _hidden_gradient(w1, w2, x, y),
                     f"the gradient with respect to w1, for weights that start {start}", rtol=1e-4, atol=1e-6)
