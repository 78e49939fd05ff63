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
        "With 10 items and batches of 4 you get two full batches and one of 2. "
        "Which of those are kept when drop_last is True?",
        "Keeping the last batch means rounding n_items / batch_size up (math.ceil); "
        "dropping it means rounding down (`n_items // batch_size`).",
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
    _check(student, n_items, batch_size, drop_last=False)


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(1, 100_000), st.integers(1, 2_000))
def test_drop_last_skips_the_incomplete_batch(student, n_items, batch_size):
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


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_minibatch_gradients_scatter_around_the_full_gradient_less_as_batches_grow(student):
    x, y, weights = _data(0)
    full = _gradient(x, y, weights).reshape(FEATURES)
    n_batches, spread = 64, {}
    for batch_size in (1, 8, 64, N):
        got = to_tensor(student.function("minibatch_gradients")(x.clone(), y.clone(), weights.clone(), batch_size,
                                                                n_batches, batch_size), "minibatch_gradients' result")
        assert got.numel() == n_batches * FEATURES, (
            f"minibatch_gradients(..., batch_size={batch_size}, n_batches={n_batches}) returned shape "
            f"{tuple(got.shape)}: expected one gradient shaped like weights per batch, ({n_batches}, {FEATURES}, 1)")
        got = got.reshape(n_batches, FEATURES)
        spread[batch_size] = (got - full).pow(2).sum(1).mean().item()  # mean squared distance from the full gradient
        if batch_size == N:
            assert_close(got, full.expand(n_batches, FEATURES),
                         f"the gradients of batches of all {N} rows (each should be the gradient over every row: "
                         "the loss averaged over the batch, each row once)")
        else:
            assert (got - got[0]).abs().max() > 0, (
                f"with batch_size={batch_size} every mini-batch gave the same gradient: pick new random rows for "
                "each batch, from one generator seeded once")
            bias = (got.mean(0) - full).pow(2).sum().item()
            assert bias <= 25 * spread[batch_size] / n_batches + 1e-12, (
                f"the gradients of batches of {batch_size} scatter around a point far from the full gradient: "
                "draw the rows of each batch at random from all of x")
    shown = ", ".join(f"{b}: {spread[b]:.3g}" for b in (1, 8, 64))
    assert spread[1] > spread[8] > spread[64] and spread[1] > 10 * spread[64], (
        f"the mean squared distance of your mini-batch gradients from the full gradient, by batch size, is {shown}: "
        "it should shrink as batches grow (roughly as 1 / batch size)")


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_at_the_same_budget_small_batches_reach_a_lower_loss(student):
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
    assert loss_small < loss_whole - 0.02, (
        f"with the same budget of {budget} items, batches of 16 ({budget // 16} steps) reached a loss of "
        f"{loss_small:.3f} over every row, and batches of all {N} rows ({budget // N} steps) {loss_whole:.3f}: "
        f"the small batches should do clearly better; take budget // batch_size steps, each on a new random batch")
