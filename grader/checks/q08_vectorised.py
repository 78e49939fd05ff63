"""Checks for question 8: column means and an affine map on large tensors, without Python loops."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, SOURCE, Question
from ._helpers import assert_choice, assert_close, worked_out_once
from ._source import assert_no_loops

QUESTION = Question(
    title="Whole-tensor operations instead of Python loops",
    source=8,
    hints=[
        "Tensor methods work on every element at once: for column_means, reductions take a `dim` to say which "
        "axis to collapse; for scale_and_shift, arithmetic with a plain number applies it to every element. "
        "WHY_FASTER: where does the loop over the numbers run, if not in Python?",
        "column_means is `x.mean(dim=0)`, which averages down the rows, giving one value per column; "
        "scale_and_shift is `a * x + b`. No loop is needed for either. WHY_FASTER: compiled code, one call.",
    ],
)


LARGE = [(2000, 300), (4096, 17), (1, 1000), (3000, 1)]


@worked_out_once
def _tensor(seed: int, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)) * 5 + 1


def _no_loops(student, name: str) -> None:
    assert_no_loops(student, name, "write it as operations on the whole tensor, so that PyTorch does the looping")


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_why_tensor_code_is_faster(student):
    """Graded: "the letter"."""
    assert_choice(student.value("WHY_FASTER"), "b", "abcd", "WHY_FASTER")


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(1, 30), st.integers(1, 30), st.integers(0, 2**31))
def test_column_means_on_small_tensors(student, rows, cols, seed):
    """Graded: "your results on small and large tensors". Rule: "the mean of each column, shape (cols,)"."""
    x = _tensor(seed, rows, cols)
    assert_close(student.function("column_means")(x.clone()), x.mean(0),
                 f"column_means of a random tensor of shape {(rows, cols)}")


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.lists(st.integers(1, 12), min_size=1, max_size=3), st.floats(-10, 10), st.floats(-10, 10),
       st.integers(0, 2**31))
def test_scale_and_shift_on_any_shape(student, shape, a, b, seed):
    """Graded: "your results on small and large tensors". Rule: "every number of the tensor `x` (any shape)
    multiplied by the float `a`, plus the float `b`"."""
    x = _tensor(seed, *shape)
    got = student.function("scale_and_shift")(x.clone(), a, b)
    assert_close(got, a * x + b, f"scale_and_shift(x, {a!r}, {b!r}) with x of shape {tuple(shape)}", atol=1e-4)


# The loop check comes before the large tensors: code that loops over every number fails at
# once, instead of running past the time limit. A small case runs first, so that code that
# does not run earns nothing here.
@QUESTION.part(points=1, kind=SOURCE)
def test_column_means_of_large_tensors_without_a_loop(student):
    """Graded: "that no Python loop runs in them (in the functions or in any helper they use)". Rule: "no `for` or
    `while` loops and no comprehensions"."""
    column_means = student.function("column_means")
    small = _tensor(0, 3, 2)
    assert_close(column_means(small.clone()), small.mean(0), "column_means of a random tensor of shape (3, 2)")
    _no_loops(student, "column_means")
    for seed, shape in enumerate(LARGE):
        x = _tensor(seed, *shape)
        assert_close(column_means(x.clone()), x.mean(0), f"column_means of a random tensor of shape {shape}",
                     rtol=1e-4, atol=1e-4)


@QUESTION.part(points=1, kind=SOURCE)
def test_scale_and_shift_of_a_large_tensor_without_a_loop(student):
    """Graded: "that no Python loop runs in them (in the functions or in any helper they use)". Rule: "no `for` or
    `while` loops and no comprehensions"."""
    small = _tensor(1, 2, 3)
    assert_close(student.function("scale_and_shift")(small.clone(), 2.0, -1.0), 2.0 * small - 1.0,
                 "scale_and_shift(x, 2.0, -1.0) with x of shape (2, 3)")
    _no_loops(student, "scale_and_shift")
    x = _tensor(7, 2000, 300)
    got = student.function("scale_and_shift")(x.clone(), -2.5, 0.75)
    assert_close(got, -2.5 * x + 0.75, "scale_and_shift(x, -2.5, 0.75) with x of shape (2000, 300)", atol=1e-4)
