"""Checks for question 37: count a stack's parameters; the theorem, and why depth still pays."""
import numbers

import torch
from hypothesis import given, strategies as st
from torch import nn

from ..question import Question
from ._helpers import assert_choice

QUESTION = Question(
    title="Why deeper networks?",
    source=37,
    hints=[
        "A layer from n_in inputs to n_out outputs has a weight for every (input, output) pair, "
        "and something more for every output.",
        "Each layer has n_in * n_out weights plus n_out biases: sum that over consecutive pairs of "
        "layer_sizes. The theorem is true; what it does not promise is a practical size.",
    ],
)


def _built(sizes: list[int]) -> int:
    """The parameters of the stack, counted by PyTorch (on the meta device: no memory used)."""
    layers = [nn.Linear(n_in, n_out, device="meta") for n_in, n_out in zip(sizes, sizes[1:])]
    return sum(p.numel() for p in nn.Sequential(*layers).parameters())


@QUESTION.part(points=3)
@given(st.lists(st.integers(1, 1000), min_size=2, max_size=6))
def test_count_parameters_matches_pytorch(student, sizes):
    got = student.function("count_parameters")(list(sizes))
    expected = _built(sizes)
    assert isinstance(got, numbers.Integral) or (isinstance(got, torch.Tensor) and got.numel() == 1), \
        f"count_parameters({sizes}) should return a whole number, got {type(got).__name__}"
    assert int(got) == expected, f"count_parameters({sizes}) returned {int(got)}, but nn.Linear layers of these sizes " \
        f"hold {expected} trainable numbers"


@QUESTION.part(points=1)
def test_knows_what_the_theorem_promises(student):
    answer = student.value("ONE_HIDDEN_LAYER_IS_ENOUGH_IN_THEORY")
    assert isinstance(answer, bool), f"ONE_HIDDEN_LAYER_IS_ENOUGH_IN_THEORY should be True or False, got {answer!r}"
    assert answer, "ONE_HIDDEN_LAYER_IS_ENOUGH_IN_THEORY: reread what the universal approximation theorem states"


@QUESTION.part(points=2)
def test_knows_why_deeper_networks_are_used(student):
    assert_choice(student.value("WHY_DEEPER"), "b", "abcd", "WHY_DEEPER")
