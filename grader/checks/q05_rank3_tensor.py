"""Checks for question 5: stack images into a rank-3 tensor, find a tensor's rank."""

import torch
from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close, kind

QUESTION = Question(
    title="Rank-3 tensors",
    source=5,
    hints=[
        "stack_images: stacking adds a new first axis, one entry per image; joining images end to end along an "
        "existing axis does not. rank: the number of axes, not the number of values. RANK_3: count the axes each "
        "option needs.",
        "stack_images is `torch.stack(images)`, shape (n, h, w) (`torch.cat` would give (n*h, w)); rank is "
        "`t.ndim`, an int. RANK_3: a colour batch needs an axis for the image, the channel, the row and the column.",
    ],
)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 12), st.integers(1, 28), st.integers(1, 28), st.integers(0, 2**31))
def test_stacks_images_along_a_new_first_axis(student, n, height, width, seed):
    """Graded: "your stacks of random images of many sizes". Rule: "return one tensor of shape (n, height,
    width) whose i-th entry along the first axis is `images[i]`"."""
    images = torch.rand(n, height, width, generator=torch.Generator().manual_seed(seed))
    got = student.function("stack_images")([image.clone() for image in images])
    assert_close(got, images, f"stack_images of {n} images of shape {(height, width)}")


SHAPES = st.lists(st.integers(1, 5), max_size=6)


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(SHAPES)
@example([])  # a single number: rank 0
@example([2, 3, 4, 5, 6, 7])  # six axes, the most the stub promises
def test_rank_counts_the_axes(student, shape):
    """Graded: "the ranks you find for tensors of up to six axes". Rule: "the rank of any tensor `t`, as an
    int"."""
    t = torch.zeros(shape)
    got = student.function("rank")(t)
    assert isinstance(got, int) and not isinstance(got, bool), f"rank should return an int, got {kind(got)} {got!r}"
    assert got == len(shape), (
        f"rank of a tensor of shape {tuple(shape)} returned {got!r}, expected {len(shape)}: "
        "count the axes, not the sizes along them"
    )


@QUESTION.part(points=1, kind=CHOICE)
def test_recognises_a_rank_3_tensor(student):
    """Graded: "the letter"."""
    assert_choice(student.value("RANK_3"), "c", "abcd", "RANK_3")
