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
        "init_params: torch.randn draws from a normal distribution with mean 0 and standard deviation 1; "
        "multiplying by std rescales it, and a tensor tracks gradients once you call requires_grad_() on it. "
        "hidden_gradients: make a copy of w1 that tracks its gradient, and call backward() on the loss.",
        "init_params multiplies first, then asks for gradients, so that the result is a leaf tensor: "
        "`(torch.randn(size) * std).requires_grad_()`. hidden_gradients: `w = w1.detach().clone().requires_grad_()`, "
        "`mnist_loss(torch.relu(x @ w) @ w2, y).backward()`, `return w.grad`.",
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
    """Graded: "the shape, spread and gradient tracking of your weights (through `one_backward_pass`, which must
    stay as it is)". Rules: "a new float tensor of shape `size` (an int or a tuple of ints)", "which tracks its
    gradient, so that after a backward pass its `.grad` holds the gradient"."""
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
    """Graded: "the shape, spread and gradient tracking of your weights (through `one_backward_pass`, which must
    stay as it is)". Rule: "drawn from a normal distribution with mean 0 and standard deviation `std`"."""
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
    """Graded: "your gradients for weights that start equal and weights that start at random". Rules: "the gradient
    of `mnist_loss(relu(x @ w1) @ w2, y)` with respect to `w1`, shaped like `w1`", "Leave `w1` and `w2` as they
    were"."""
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
            "hidden_gradients changed the values of w1 or w2: work on a copy that tracks its gradient"
        assert w1.grad is None and w2.grad is None, (
            "hidden_gradients left a .grad on the w1 or w2 it was given: backward ran through the caller's own "
            "tensors; make copies that track their gradient (w1.detach().clone().requires_grad_())")
        assert_close(got, _hidden_gradient(w1, w2, x, y),
                     f"the gradient with respect to w1, for weights that start {start}", rtol=1e-4, atol=1e-6)
        columns = to_tensor(got, "the gradient")
        student.record(f"largest difference between hidden units' gradients, {start} start",
                       (columns - columns[:, :1]).abs().max().item())
