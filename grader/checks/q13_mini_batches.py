"""Checks for question 13: the number of mini-batches, compared with the reference DataLoader."""

import torch
from hypothesis import given, strategies as st

from ..question import Question
from ._helpers import assert_choice
from ...reference import DataLoader

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


@QUESTION.part(points=2)
@given(st.integers(1, 100_000), st.integers(1, 2_000))
def test_counts_the_last_smaller_batch(student, n_items, batch_size):
    _check(student, n_items, batch_size, drop_last=False)


@QUESTION.part(points=1)
@given(st.integers(1, 100_000), st.integers(1, 2_000))
def test_drop_last_skips_the_incomplete_batch(student, n_items, batch_size):
    _check(student, n_items, batch_size, drop_last=True)


@QUESTION.part(points=2)
def test_explains_why_mini_batches(student):
    assert_choice(student.value("WHY_MINI_BATCHES"), "a", "abcd", "WHY_MINI_BATCHES")
