"""Checks for question 10: distances by broadcasting (no loop), and the broadcasting rule on shapes."""

import numpy as np
import torch
from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, SOURCE, Question
from ._helpers import assert_close, kind
from ._source import assert_no_loops, reachable
from ...reference import mnist_distance

QUESTION = Question(
    title="Broadcasting",
    source=10,
    hints=[
        "distances_to: `batch - image` already subtracts the image from every image of the stack; average over "
        "the last two axes only, to keep one number per image. broadcast_shape: walk both shapes from the end, "
        "with plain Python.",
        "distances_to is `(batch - image).abs().mean((-1, -2))`. broadcast_shape compares a[-1] with b[-1], a[-2] "
        "with b[-2], ...; a missing size counts as 1; each pair must be equal or contain a 1, and the result takes "
        "the size that is not 1.",
    ],
)


def _stack(seed: int, n: int, height: int, width: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, height, width, generator=g), torch.rand(height, width, generator=g)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 40), st.integers(1, 28), st.integers(1, 28), st.integers(0, 2**31))
def test_distances_match_the_reference(student, n, height, width, seed):
    """Graded: "your distances for random stacks of many sizes". Rule: "the L1 distance (mean absolute pixel
    difference) from each image of the stack to `image`, a tensor of shape (n,)"."""
    batch, image = _stack(seed, n, height, width)
    got = student.function("distances_to")(batch.clone(), image.clone())
    assert_close(got, mnist_distance(batch, image),
                 f"distances_to of a ({n}, {height}, {width}) stack and a ({height}, {width}) image")


@QUESTION.part(points=1, kind=SOURCE)
def test_distances_use_broadcasting_not_a_loop(student):
    """Graded: "that no Python loop computes them (in distances_to or in a helper)". Rule: "Let broadcasting do
    the work: no `for` or `while` loops and no comprehensions"."""
    batch, image = _stack(1, 5, 28, 28)
    assert_close(student.function("distances_to")(batch.clone(), image.clone()), mnist_distance(batch, image),
                 "distances_to of a (5, 28, 28) stack and a (28, 28) image")
    assert_no_loops(student, "distances_to",
                    "subtract the image from the whole stack at once and let broadcasting repeat it")


SHAPE = st.lists(st.integers(0, 4), max_size=4)


@st.composite
def _compatible_pair(draw):
    """A shape, and one that broadcasts with it: some sizes made 1, some leading axes dropped or added."""
    a = draw(SHAPE)
    b = [1 if draw(st.booleans()) else size for size in a][draw(st.integers(0, len(a))):]
    return a, draw(st.lists(st.integers(0, 4), max_size=2)) + b if draw(st.booleans()) else b


PAIRS = st.one_of(st.tuples(SHAPE, SHAPE), _compatible_pair()).flatmap(
    lambda pair: st.sampled_from([pair, pair[::-1]]))


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(PAIRS)
@example([[0], [1]])  # a size 0 against a 1 gives 0: "take the larger size" gets it wrong
def test_broadcast_shape_follows_the_rule(student, pair):
    """Graded: "your shapes for random pairs, against numpy's rule". Rules: "compares the two shapes from the
    LAST axis backwards", "a shape that runs out of axes is treated as having size 1 there", "or None when they
    are incompatible"."""
    a, b = tuple(pair[0]), tuple(pair[1])
    try:  # numpy's rule is PyTorch's; numpy says no in microseconds where torch.broadcast_shapes takes 10 ms
        expected = tuple(np.broadcast_shapes(a, b))
    except ValueError:
        expected = None
    got = student.function("broadcast_shape")(a, b)
    call = f"broadcast_shape({a}, {b})"
    if expected is None:
        assert got is None, f"{call} returned {got!r}, expected None: the shapes can't be broadcast together"
        return
    assert got is not None, f"{call} returned None, but these shapes broadcast to {expected}"
    assert isinstance(got, (tuple, list)), f"{call} should return a tuple of ints or None, got {kind(got)}"
    assert tuple(got) == expected, f"{call} returned {tuple(got)}, expected {expected}"


@QUESTION.part(points=1, kind=SOURCE)
def test_broadcast_shape_applies_the_rule_itself(student):
    """Graded: "that broadcast_shape applies the rule itself". Rule: "with no torch or numpy in
    broadcast_shape"."""
    got = student.function("broadcast_shape")((3, 1), (4,))
    assert got is not None and tuple(got) == (3, 4), \
        f"broadcast_shape((3, 1), (4,)) returned {got!r}, expected (3, 4): make it work, then see how it is written"
    libraries = sorted({call for call in reachable(student, "broadcast_shape").calls()
                        if call.split(".", 1)[0] in ("torch", "numpy")})
    assert not libraries, (
        f"broadcast_shape (or a helper it calls) uses {libraries[0]}, which lets the library apply the rule: "
        "compare the sizes yourself, from the last axis backwards")
