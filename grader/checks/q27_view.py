"""Checks for question 27: flatten images with view; writes through the view reach the images; predict such a write."""
import torch

from ..question import BEHAVIOUR, CHOICE, SOURCE, Question
from ._helpers import assert_choice
from ._source import assert_given_unchanged, reachable

QUESTION = Question(
    title="What view does",
    source=27,
    hints=[
        "flatten_images: `view` takes the new shape; one of its sizes may be -1, meaning 'whatever makes the element "
        "count match'. The result is another way of reading the same numbers in memory. set_pixel: index the rows "
        "flatten_images gives. VIEW: is anything copied?",
        "flatten_images is `x.view(len(x), -1)` or `x.view(-1, h * w)`; set_pixel is `flatten_images(x)[image, k] = "
        "value`, which changes x. VIEW: same memory, new shape.",
    ],
)

# (n, h, w) from small to large, so that the first case that fails is a small one.
SHAPES = [(1, 1, 1), (1, 2, 3), (2, 3, 2), (3, 1, 4), (3, 4, 5), (5, 7, 6), (4, 28, 28)]


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_flattens_each_image_into_a_row(student):
    """Graded: "your rows for images of many sizes, and that writing into them changes the images". Rules: "Return
    the tensor of shape (n, h*w) whose row i holds the pixels of image i, row after row", "the result must share
    its memory with `x`"."""
    flatten_images = student.function("flatten_images")
    for seed, (n, h, w) in enumerate(SHAPES):
        x = torch.rand(n, h, w, generator=torch.Generator().manual_seed(seed))
        got = flatten_images(x)
        assert isinstance(got, torch.Tensor), f"flatten_images should return a tensor, got {type(got).__name__}"
        case = f"for {n} image(s) of {h}x{w} pixels"
        assert got.shape == (n, h * w), (
            f"{case} flatten_images returned shape {tuple(got.shape)}, expected ({n}, {h * w}): one row per image"
        )
        assert torch.equal(got, x.reshape(n, h * w)), (
            f"{case} the rows don't hold each image's pixels in order: keep the first axis (the image) first"
        )
    assert_given_unchanged(student, "write_through")
    x = torch.rand(3, 4, 5, generator=torch.Generator().manual_seed(27))
    student.function("write_through")(x)
    assert torch.equal(x, torch.full((3, 4, 5), -1.0)), (
        "writing into the rows flatten_images returned left the images unchanged: they are a copy; return a view "
        "of x's own memory (x.view), so that changes made through one show in the other"
    )


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_writing_into_the_rows_changes_the_images(student):
    """Graded: "your pixel writes". Rule: "make pixel number `k` of image number `image` equal to `value`, where
    pixels are numbered as in the rows of `flatten_images`"."""
    set_pixel = student.function("set_pixel")
    for seed, (n, h, w) in enumerate(SHAPES):
        g = torch.Generator().manual_seed(seed)
        x = torch.rand(n, h, w, generator=g)
        image, k = int(torch.randint(n, (), generator=g)), int(torch.randint(h * w, (), generator=g))
        value = float(torch.randint(-9, 200, (), generator=g)) + 0.5
        before = x.clone()
        expected = x.clone()
        expected[image, k // w, k % w] = value
        set_pixel(x, image, k, value)
        case = f"set_pixel(x, {image}, {k}, {value:g}) with x of shape ({n}, {h}, {w})"
        assert x.shape == (n, h, w), f"{case} changed the shape of x to {tuple(x.shape)}: only change one value"
        assert not torch.equal(x, before), (
            f"{case} left x unchanged: writing into a copy of x never reaches x; flatten_images should return "
            "a view of the same memory (x.view), not a copy"
        )
        assert torch.equal(x, expected), (
            f"{case} changed the wrong pixels of x: pixel {k} of an image {w} pixels wide is in row {k // w}, "
            f"column {k % w}, because the rows of the view hold each image's pixels row after row"
        )


VIEWS = {"view", "reshape", "flatten"}  # what makes the flattened view, when set_pixel makes its own


@QUESTION.part(points=1, kind=SOURCE)
def test_set_pixel_writes_through_a_flattened_view(student):
    """Graded: "that set_pixel writes through a flattened view". Rule: "Do it by writing into a flattened view of
    `x`, such as the result of `flatten_images(x)`"."""
    x = torch.zeros(2, 2, 3)
    student.function("set_pixel")(x, 1, 4, 9.0)
    assert x[1, 1, 1] == 9.0, "set_pixel(x, 1, 4, 9.0) should make x[1, 1, 1] equal to 9: make it work first"
    calls = reachable(student, "set_pixel").calls()
    assert any(call == "flatten_images" or call.rsplit(".", 1)[-1] in VIEWS for call in calls), (
        "set_pixel writes into x without going through a flattened view: write into the rows flatten_images(x) "
        "returns, and see x change with them")


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_view_does(student):
    """Graded: "the letter"."""
    assert_choice(student.value("VIEW"), "a", "abcd", "VIEW (does view copy the data? does it move numbers around?)")
