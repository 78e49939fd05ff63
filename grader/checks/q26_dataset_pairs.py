"""Checks for question 26: zip inputs and labels into a list of tuples, the shape of a dataset."""
import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice

QUESTION = Question(
    title="Pairing inputs with labels",
    source=26,
    hints=[
        "pair_up: Python's built-in `zip` walks two sequences side by side and yields tuples; it is lazy, so turn "
        "what it gives into a list. PAIRS: what does a training loop do with such a list?",
        "pair_up is `return list(zip(xs, ys))`. PAIRS: indexing gives one input with its label, len the count.",
    ],
)

# Labels: any character from the space to U+2FFF, drawn as code points. (`st.characters` would
# first build hypothesis's table of every Unicode character's category: a second or more, in
# each process that grades with it, whenever a wrong answer sends this part to hypothesis.)
CHARACTERS = st.integers(32, 0x2FFF).map(chr)


def _kind(value) -> str:
    """The type's name, also for an object that stayed in the student's process (it has a type_name)."""
    return getattr(value, "type_name", None) or type(value).__name__


def _check_list_of_tuples(got, n: int, call: str) -> None:
    kind = _kind(got)
    assert kind != "zip", (
        f"{call} returned a zip object: that is a lazy iterator, which can't be indexed and is used up "
        "after one pass; make a list of it"
    )
    assert isinstance(got, list), f"{call} should return a list, got {kind}"
    assert len(got) == n, f"{call} returned {len(got)} items, expected {n}"
    for i, item in enumerate(got):
        assert isinstance(item, tuple), f"item {i} of {call} is a {_kind(item)}, it should be a tuple"
        assert len(item) == 2, f"item {i} of {call} has {len(item)} elements, it should be a pair"


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_pairs_the_numbers_with_the_letters(student):
    """Graded: "your pairs for the example". Rule: "return a *list* whose i-th element is the *tuple* (xs[i],
    ys[i])"."""
    got = student.function("pair_up")([1, 2, 3, 4], "abcd")
    _check_list_of_tuples(got, 4, "pair_up([1, 2, 3, 4], 'abcd')")
    expected = [(1, "a"), (2, "b"), (3, "c"), (4, "d")]
    assert got == expected, f"pair_up([1, 2, 3, 4], 'abcd') returned {got!r}, expected {expected!r}"


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(pairs=st.lists(st.tuples(st.integers(-100, 100), CHARACTERS), max_size=20),
       as_string=st.booleans())
def test_pairs_any_two_sequences_of_the_same_length(student, pairs, as_string):
    """Graded: "your pairs for random sequences (lists and strings)". Rule: "given two sequences of the same length
    (lists, strings, tensors...)"."""
    xs = [a for a, _ in pairs]
    ys = "".join(b for _, b in pairs) if as_string else [b * 2 for _, b in pairs]
    got = student.function("pair_up")(list(xs), ys)
    call = f"pair_up({xs!r}, {ys!r})"
    _check_list_of_tuples(got, len(xs), call)
    expected = list(zip(xs, ys))
    assert got == expected, f"{call} returned {got!r}, expected {expected!r}"


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_images_and_labels_become_an_indexable_dataset(student):
    """Graded: "your pairs of images and labels, which must index like a dataset". Rule: "it must give a list of
    (image, label) tuples, one per image"."""
    pair_up = student.function("pair_up")
    for n, seed in [(1, 0), (3, 1), (12, 2)]:
        g = torch.Generator().manual_seed(seed)
        images = torch.rand(n, 28 * 28, generator=g)
        labels = torch.randint(0, 2, (n, 1), generator=g).float()
        dset = pair_up(images, labels)
        call = f"pair_up(images, labels) with images of shape {tuple(images.shape)}"
        _check_list_of_tuples(dset, n, call)
        for i in range(n):
            x, y = dset[i]
            assert isinstance(x, torch.Tensor) and torch.equal(x, images[i]), \
                f"dset[{i}][0] of {call} should be images[{i}]"
            assert isinstance(y, torch.Tensor) and torch.equal(y, labels[i]), \
                f"dset[{i}][1] of {call} should be labels[{i}]"


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_the_structure_is_for(student):
    """Graded: "the letter"."""
    assert_choice(student.value("PAIRS"), "a", "abcd",
                  "PAIRS (what does a training loop need to do with a collection of examples?)")
