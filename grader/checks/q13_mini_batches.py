"""Checks for question 13: the number of mini-batches, and two experiments: how the gradients of
mini-batches scatter around the full gradient, and what small batches buy at a fixed budget."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, to_tensor
from ...reference import DataLoader, mnist_loss

QUESTION = Question(
    title="What mini-batches are for",
    source=13,
    hints=[
        "updates_per_epoch: with 10 items and batches of 4 you get two full batches and one of 2; which are kept "
        "when drop_last is True? minibatch_gradients: each gradient needs its own random rows and a fresh copy of "
        "the weights that tracks its gradient. train_with_budget: how many steps does the budget pay for?",
        "updates_per_epoch rounds n_items / batch_size up (math.ceil), or down with drop_last (`//`). "
        "minibatch_gradients: one generator, then per batch `rows = torch.randperm(len(x), generator=g)[:batch_size]`, "
        "`w = weights.detach().clone().requires_grad_()`, `mnist_loss(x[rows] @ w, y[rows]).backward()`, keep "
        "`w.grad`. train_with_budget takes `budget // batch_size` steps `weights -= lr * gradient` from zeros.",
    ],
)


def _batches(n_items: int, batch_size: int, drop_last: bool) -> int:
    return len(DataLoader(torch.empty(n_items), batch_size=batch_size, drop_last=drop_last))


def _check(student, n_items: int, batch_size: int, drop_last: bool) -> None:
    expected = _batches(n_items, batch_size, drop_last)
    got = student.function("updates_per_epoch")(n_items, batch_size, drop_last)
    assert isinstance(got, int) or (hasattr(got, "is_integer") and got.is_integer()), \
        f"updates_per_epoch should return a whole number of steps, got {got!r}"
    if got == expected:
        return
    why = ""
    if not drop_last and got < expected:
        why = ": the last, smaller batch still counts as a step"
    elif n_items % batch_size == 0:
        full = n_items // batch_size
        why = f": the items fill exactly {full} full batch{'' if full == 1 else 'es'}, with nothing left over"
    elif drop_last:
        why = ": with drop_last the incomplete batch is skipped"
    raise AssertionError(f"updates_per_epoch({n_items}, {batch_size}, drop_last={drop_last}) returned {got!r}, "
                         f"but an epoch takes {expected} step{'' if expected == 1 else 's'}{why}")


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 100_000), st.integers(1, 2_000))
def test_counts_the_last_smaller_batch(student, n_items, batch_size):
    """Graded: "your counts for many sizes". Rules: "the optimiser takes one step per mini-batch", "When the
    number of items is not a multiple of the batch size, the last batch is smaller"."""
    _check(student, n_items, batch_size, drop_last=False)


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(1, 100_000), st.integers(1, 2_000))
def test_drop_last_skips_the_incomplete_batch(student, n_items, batch_size):
    """Graded: "your counts for many sizes". Rule: "with `drop_last=True` that incomplete batch is skipped"."""
    _check(student, n_items, batch_size, drop_last=True)


N, FEATURES = 512, 20


def _data(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Rows of 20 features, labels that a linear rule gets mostly right, and small random weights."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(N, FEATURES, generator=g)
    y = ((x @ torch.randn(FEATURES, 1, generator=g) + 0.5 * torch.randn(N, 1, generator=g)) > 0).float()
    return x, y, torch.randn(FEATURES, 1, generator=g) * 0.3


def _gradient(x: torch.Tensor, y: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    weights = weights.clone().requires_grad_()
    mnist_loss(x @ weights, y).backward()
    return weights.grad


def _gradients(student, x, y, weights, batch_size: int, n_batches: int, seed: int) -> torch.Tensor:
    """The student's minibatch_gradients as (n_batches, FEATURES), with `weights` checked to be left as it was."""
    given = weights.clone()
    got = to_tensor(student.function("minibatch_gradients")(x.clone(), y.clone(), given, batch_size, n_batches, seed),
                    "minibatch_gradients' result")
    call = f"minibatch_gradients(..., batch_size={batch_size}, n_batches={n_batches}, seed={seed})"
    assert torch.equal(given, weights) and given.grad is None, (
        f"{call} changed the weights it was given (their values or their .grad): compute each gradient on a copy, "
        "weights.detach().clone().requires_grad_()")
    assert got.numel() == n_batches * FEATURES, (
        f"{call} returned shape {tuple(got.shape)}: expected one gradient shaped like weights per batch, "
        f"({n_batches}, {FEATURES}, 1)")
    return got.reshape(n_batches, FEATURES)


def _far(gradients: torch.Tensor, full: torch.Tensor) -> bool:
    """Whether the mean of these gradients is further from `full` than their scatter explains."""
    spread = (gradients - full).pow(2).sum(1).mean().item()
    return (gradients.mean(0) - full).pow(2).sum().item() > 25 * spread / len(gradients) + 1e-12


SIZES = (1, 8, 64, 256)  # batch sizes whose gradients scatter; a batch of all N rows gives the full gradient


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_minibatch_gradients_scatter_around_the_full_gradient_less_as_batches_grow(student):
    """Graded: "your gradients (the one of a batch of every row must be the full gradient, and small batches must
    scatter around it, less and less as they grow)". Rules: "each of `batch_size` different rows of `x`", "picked
    at random with `torch.Generator().manual_seed(seed)`", "leave `weights` itself as it was"."""
    x, y, weights = _data(0)
    full = _gradient(x, y, weights).reshape(FEATURES)
    n_batches, spread = 64, {}
    for batch_size in (*SIZES, N):
        got = _gradients(student, x, y, weights, batch_size, n_batches, batch_size)
        steps = torch.cat([got[:1], got.diff(dim=0)])  # what each batch added, if they were added up
        growing = got[-16:].norm(dim=1).mean() > 2 * got[:16].norm(dim=1).mean()
        if growing and _far(got, full) and not _far(steps, full):
            raise AssertionError(
                f"with batch_size={batch_size} the gradients grow batch after batch: each one still holds the ones "
                "before it (backward adds into .grad, and nothing reset it); take each gradient on a fresh copy of "
                "the weights")
        spread[batch_size] = (got - full).pow(2).sum(1).mean().item()  # mean squared distance from the full gradient
        if batch_size == N:
            assert torch.allclose(got, got[:1].expand_as(got), rtol=1e-4, atol=1e-6), (
                f"batches of all {N} rows gave different gradients: a batch of every row holds each row once, so "
                "draw the rows of a batch without repeats (torch.randperm)")
            assert_close(got, full.expand(n_batches, FEATURES), f"the gradient of a batch of all {N} rows")
        else:
            assert (got - got[0]).abs().max() > 0, (
                f"with batch_size={batch_size} every mini-batch gave the same gradient: pick new random rows for "
                "each batch, from one generator seeded once")
            assert not _far(got, full), (
                f"the gradients of batches of {batch_size} scatter around a point far from the gradient over every "
                "row: the loss of a batch is the mean of its rows' losses, and its rows are drawn at random from "
                "all of x")
            student.record(f"gradient spread, batches of {batch_size}", spread[batch_size])
    shown = ", ".join(f"{b}: {spread[b]:.3g}" for b in SIZES)
    assert all(spread[a] > spread[b] for a, b in zip(SIZES, SIZES[1:])) and spread[1] > 10 * spread[64], (
        f"the mean squared distance of your mini-batch gradients from the full gradient, by batch size, is {shown}: "
        "it should shrink as batches grow (roughly as 1 / batch size)")
    again, other = (_gradients(student, x, y, weights, 8, 4, seed) for seed in (8, 9))
    assert torch.equal(again, _gradients(student, x, y, weights, 8, 4, 8)), (
        "two calls of minibatch_gradients with the same seed gave different batches: draw them from a generator "
        "seeded with seed, not from the global one")
    assert not torch.equal(again, other), \
        "minibatch_gradients gave the same batches for seeds 8 and 9: the seed should pick the rows"


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_at_the_same_budget_small_batches_reach_a_lower_loss(student):
    """Graded: "your training, which must match plain gradient descent for a batch of every row and beat it with
    batches of 16". Rules: "start from weights of zeros, shape `(x.shape[1], 1)`", "take `budget // batch_size`
    SGD steps (`weights -= lr * gradient`)", "each on a fresh random mini-batch of `batch_size` different rows"."""
    x, y, _ = _data(1)
    budget, lr = 4 * N, 1.0
    train = student.function("train_with_budget")
    whole = to_tensor(train(x.clone(), y.clone(), N, budget, lr, 0), "train_with_budget's weights")
    assert whole.numel() == FEATURES, f"train_with_budget returned {whole.numel()} weights, expected {FEATURES}"
    expected = torch.zeros(FEATURES, 1)
    for _ in range(budget // N):
        expected -= lr * _gradient(x, y, expected)
    assert_close(whole.reshape(FEATURES, 1), expected,
                 f"the weights after train_with_budget(batch_size={N}, budget={budget}, lr={lr}), which should be "
                 f"{budget // N} steps of plain gradient descent from zeros over every row")
    small = to_tensor(train(x.clone(), y.clone(), 16, budget, lr, 0), "train_with_budget's weights").reshape(FEATURES, 1)
    other_seed = to_tensor(train(x.clone(), y.clone(), 16, budget, lr, 1), "train_with_budget's weights")
    assert not torch.equal(other_seed.reshape(FEATURES, 1), small), (
        "train_with_budget with batches of 16 gave the same weights for seeds 0 and 1: draw each batch at random, "
        "from a generator seeded with seed")
    with torch.no_grad():
        loss_whole, loss_small = (mnist_loss(x @ w.float(), y).item() for w in (whole.reshape(FEATURES, 1), small))
    student.record(f"loss after a budget of {budget} items, batches of 16", loss_small)
    student.record(f"loss after a budget of {budget} items, batches of {N}", loss_whole)
    assert loss_small < loss_whole - 0.02, (
        f"with the same budget of {budget} items, batches of 16 ({budget // 16} steps) reached a loss of "
        f"{loss_small:.3f} over every row, and batches of all {N} rows ({budget // N} steps) {loss_whole:.3f}: "
        f"the small batches should do clearly better; take budget // batch_size steps, each on a new random batch")
