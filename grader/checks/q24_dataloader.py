"""Checks for question 24: mini-batches as a DataLoader serves them."""
import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, to_tensor
from ._source import reachable
from ...reference import DataLoader

QUESTION = Question(
    title="What a DataLoader does",
    source=24,
    hints=[
        "minibatches: make one order of the row numbers (0..n-1, or a random permutation of them when shuffling), "
        "then cut it into slices of batch_size; index x and y with the same slice so that each label stays with its "
        "row. DATALOADER: what does the training loop get from it each time round?",
        "minibatches: `order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)) if shuffle else "
        "torch.arange(n)`, then `[(x[order[i:i + batch_size]], y[order[i:i + batch_size]]) for i in range(0, n, "
        "batch_size)]`. DATALOADER: batches, reshuffled if asked.",
    ],
)


def _data(n: int, width: int):
    """Rows whose first column is their row number, and labels that name their row (row + 1000)."""
    x = torch.arange(n * width, dtype=torch.float32).view(n, width)
    x[:, 0] = torch.arange(n)
    y = (torch.arange(n) + 1000).float().unsqueeze(1)
    return x, y


def _kind(value) -> str:
    """The type's name, also for an object that stayed in the student's process (it has a type_name)."""
    return getattr(value, "type_name", None) or type(value).__name__


def _batches(student, x, y, batch_size, shuffle, seed):
    """The student's batches as float64 tensors, with a message for each wrong form."""
    result = student.function("minibatches")(x.clone(), y.clone(), batch_size, shuffle=shuffle, seed=seed)
    assert isinstance(result, (list, tuple)), (
        f"minibatches should return a list of (xb, yb) pairs, got {_kind(result)}"
        + (": make a list of what the generator yields" if _kind(result) == "generator" else "")
    )
    batches = []
    for i, batch in enumerate(result):
        assert isinstance(batch, (tuple, list)) and len(batch) == 2, \
            f"batch {i} should be a pair (xb, yb), got {_kind(batch)}"
        xb, yb = to_tensor(batch[0], f"xb of batch {i}"), to_tensor(batch[1], f"yb of batch {i}")
        assert len(xb) > 0, f"batch {i} is empty: every batch should hold at least one row (only the last may be smaller)"
        assert xb.dim() == 2 and xb.shape[1] == x.shape[1], \
            f"xb of batch {i} has shape {tuple(xb.shape)}: it should hold whole rows of x, shape (rows, {x.shape[1]})"
        assert yb.dim() >= 1 and len(yb) == len(xb), f"batch {i} has {len(xb)} inputs but {yb.numel()} labels"
        batches.append((xb, yb.reshape(len(yb), -1)))
    return batches


def _rows(batches) -> list[int]:
    return [int(r) for xb, _ in batches for r in xb[:, 0].tolist()]


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(n=st.integers(1, 60), batch_size=st.integers(1, 16), width=st.integers(1, 4), shuffle=st.booleans(),
       seed=st.integers(0, 2**31 - 1))
def test_every_row_once_with_its_label_in_full_batches(student, n, batch_size, width, shuffle, seed):
    """Graded: "your batches for random sizes and seeds (every row once, with its label, in batches of the right
    sizes)". Rules: "every row appears in exactly one batch, and each `yb` holds the labels of exactly the rows in
    its `xb`, in the same order", "every batch has `batch_size` rows, except the last one"."""
    x, y = _data(n, width)
    batches = _batches(student, x, y, batch_size, shuffle, seed)
    rows = _rows(batches)
    case = f"n={n} rows, batch_size={batch_size}, shuffle={shuffle}"
    assert all(0 <= r < n for r in rows), f"with {case} the batches hold rows that are not rows of x"
    assert len(rows) == len(set(rows)), (
        f"with {case} some rows come more than once: draw a permutation of the rows (each exactly once), "
        "not random row numbers with repeats"
    )
    assert len(rows) == n, (
        f"with {case} the batches hold {len(rows)} rows: every row must be in a batch; keep the last, "
        "smaller batch too"
    )
    for i, (xb, yb) in enumerate(batches):
        assert torch.equal(yb[:, 0], xb[:, 0] + 1000), (
            f"with {case} batch {i} pairs rows with labels of other rows: index x and y with the same indices"
        )
        assert torch.equal(xb, x.double()[xb[:, 0].long()]), f"with {case} batch {i} holds rows that are not rows of x"
    expected = [len(yb) for _, yb in DataLoader((x, y), batch_size)]
    got = [len(xb) for xb, _ in batches]
    assert got == expected, f"with {case} the batch sizes are {got}, expected {expected}"


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_without_shuffle_batches_match_the_dataloader(student):
    """Graded: "your order without shuffling". Rule: "with `shuffle=False` the rows come in their original order"."""
    for n, batch_size in [(1, 1), (1, 3), (5, 2), (7, 7), (10, 3), (33, 8), (40, 12)]:
        x, y = _data(n, 3)
        batches = _batches(student, x, y, batch_size, False, 0)
        expected = list(DataLoader((x, y), batch_size))
        assert len(batches) == len(expected), \
            f"with n={n} rows and batch_size={batch_size} there should be {len(expected)} batches, got {len(batches)}"
        for i, ((xb, yb), (ex, ey)) in enumerate(zip(batches, expected)):
            assert torch.equal(xb, ex.double()) and torch.equal(yb, ey.double()), (
                f"without shuffling, batch {i} should hold rows {ex[:, 0].long().tolist()} in that order, "
                f"got {xb[:, 0].long().tolist()}"
            )


GLOBAL_SEEDERS = {"manual_seed", "seed", "set_rng_state", "set_state", "setstate"}


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_shuffling_is_random_but_repeatable(student):
    """Graded: "that the same seed gives the same order and another seed another (without seeding the global
    generator)". Rules: "a random order that depends only on `seed`", "not the global one"."""
    n = 100
    x, y = _data(n, 2)
    for seed, batch_size in [(0, 7), (1, 16), (12345, 32)]:
        first = _rows(_batches(student, x, y, batch_size, True, seed))
        assert first != list(range(n)), "with shuffle=True the rows still come in their original order: shuffle them"
        again = _rows(_batches(student, x, y, batch_size, True, seed))
        assert again == first, (
            "two calls with shuffle=True and the same seed gave different orders: draw the order from "
            "a generator seeded with `seed`, not from the global random state"
        )
        other = _rows(_batches(student, x, y, batch_size, True, seed + 1))
        assert other != first, \
            "shuffle=True with two different seeds gave the same order: the seed should pick the order"
    code = reachable(student, "minibatches")
    seeders = [call for call in code.calls() if call.rsplit(".", 1)[-1] in GLOBAL_SEEDERS  # torch.manual_seed, ...
               and call.split(".", 1)[0] in ("torch", "numpy", "random") and "Generator()" not in call]
    assert not seeders, (
        f"minibatches seeds the global random generator ({seeders[0]}): that changes the random numbers of "
        "everything else in the program; use a generator of your own, torch.Generator().manual_seed(seed) or "
        "numpy.random.default_rng(seed)"
    )


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_a_dataloader_does(student):
    """Graded: "the letter"."""
    assert_choice(student.value("DATALOADER"), "c", "abcd",
                  "DATALOADER (what does the training loop get, each time round, from the object it iterates over?)")
