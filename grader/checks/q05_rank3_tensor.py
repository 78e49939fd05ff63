"""Checks for question 5: stack images into a rank-3 tensor, find a tensor's rank."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close

QUESTION = Question(
    title="Rank-3 tensors",
    source=5,
    hints=[
        "Stacking adds a new first axis, one entry per image; joining images end to end along an "
        "existing axis does not. The rank is the number of axes, not the number of values.",
        "`torch.stack(images)` gives shape (n, h, w) (`torch.cat` would give (n*h, w)); `t.ndim` is the rank. "
        "A colour batch needs an axis for the image, the channel, the row and the column.",
    ],
)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 12), st.integers(1, 28), st.integers(1, 28), st.integers(0, 2**31))
def test_stacks_images_along_a_new_first_axis(student, n, height, width, seed):
    images = torch.rand(n, height, width, generator=torch.Generator().manual_seed(seed))
    got = student.function("stack_images")([image.clone() for image in images])
    assert_close(got, images, f"stack_images of {n} images of shape {(height, width)}")


SHAPES = st.lists(st.integers(1, 5), max_size=6)


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(SHAPES)
def test_rank_counts_the_axes(student, shape):
    t = torch.zeros(shape)
    got = student.function("rank")(t)
    assert not isinstance(got, bool) and got == len(shape), (
        f"rank of a tensor of shape {tuple(shape)} returned {got!r}, expected {len(shape)}: "
        "count the axes, not the sizes along them"
    )


@QUESTION.part(points=1, kind=CHOICE)
def test_recognises_a_rank_3_tensor(student):
    assert_choice(student.value("RANK_3"), "c", "abcd", "RANK_3")
