"""Checks for question 3: the mean digit, L1 nearest-mean prediction, accuracy on valid digits."""

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, embedded_sample, kind, to_number, to_tensor
from ...reference import is_3, pixel_similarity_accuracy

QUESTION = Question(
    title="Classifying digits by pixel similarity",
    source=3,
    hints=[
        "mean_digit: averaging over the first axis (the images) keeps one value per pixel. predict_is_3: "
        "subtract, make every difference positive, then average over the last two axes (height and width). "
        "accuracy_on_valid: a 7 is classified correctly when it is not called a 3.",
        "mean_digit is `images.mean(0)`; in predict_is_3 the distance is `(images - mean3).abs().mean((-1, -2))`, "
        "and the prediction compares the two distances with `<`. accuracy_on_valid's accuracy on 7s counts the "
        "images NOT called a 3.",
    ],
)


def _random(seed: int, *shape: int) -> torch.Tensor:
    return torch.rand(*shape, generator=torch.Generator().manual_seed(seed))


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(1, 30), st.integers(1, 28), st.integers(1, 28), st.integers(0, 2**31))
def test_averages_a_stack_into_one_image(student, n, height, width, seed):
    """Graded: "your mean images". Rule: "the average image of a stack, shape (height, width)"."""
    images = _random(seed, n, height, width)
    got = student.function("mean_digit")(images.clone())
    assert_close(got, images.mean(0), f"mean_digit of a stack of shape {(n, height, width)}")


def _check_predictions(got, expected: torch.Tensor, what: str) -> None:
    dtype = str(getattr(got, "dtype", ""))
    assert dtype in ("torch.bool", "bool"), \
        f"{what} should be a boolean tensor (True or False per image), got {kind(got)} of {dtype or 'no dtype'}"
    got = to_tensor(got, what)
    assert got.shape == expected.shape, (
        f"{what} has shape {tuple(got.shape)}, expected {tuple(expected.shape)}: one True/False per image"
    )
    wrong = int((got.bool() != expected).sum())
    flipped = "; they are all the other way round: True should mean closer to mean3" if wrong == len(expected) \
        else ": compare the mean absolute pixel difference (L1) to each ideal digit"
    assert wrong == 0, f"{what} is wrong for {wrong} of {len(expected)} images{flipped}"


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_predicts_the_embedded_valid_digits_like_the_reference(student):
    """Graded: "your predictions for real and random images". Rules: "True where the image's L1 distance to
    `mean3` is smaller than its L1 distance to `mean7`", "a boolean tensor of shape (n,)"."""
    sample = embedded_sample()
    mean3, mean7 = sample.train_3.mean(0), sample.train_7.mean(0)
    images = torch.cat([sample.valid_3, sample.valid_7])
    got = student.function("predict_is_3")(images.clone(), mean3.clone(), mean7.clone())
    _check_predictions(got, is_3(images, mean3, mean7), f"predict_is_3 on {len(images)} real valid digits")


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(1, 20), st.integers(2, 28), st.integers(2, 28), st.integers(0, 2**31))
def test_predicts_random_images_like_the_reference(student, n, height, width, seed):
    """Graded: "your predictions for real and random images". Rules: "the mean of the absolute differences (the
    L1 distance)", "a stack of n images has shape (n, height, width)"."""
    images = _random(seed, n, height, width)
    mean3, mean7 = _random(seed + 1, height, width), _random(seed + 2, height, width)
    got = student.function("predict_is_3")(images.clone(), mean3.clone(), mean7.clone())
    _check_predictions(got, is_3(images, mean3, mean7), f"predict_is_3 on {n} random {height}x{width} images")


# The whole embedded set, then random subsets of it. A few cases only: every call ships the
# images to the worker that runs the student's code, about 3 MB for the whole set.
SUBSETS = [(400, 400, 50, 50), (60, 350, 50, 25), (300, 45, 30, 45), (123, 77, 34, 41), (400, 200, 17, 50)]


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_accuracy_on_valid_digits_matches_the_reference(student):
    """Graded: "your two accuracies, against the chapter's". Rules: "build the two typical digits from the
    training stacks", "the fraction of each stack that is classified as the digit it really is"."""
    sample = embedded_sample()
    accuracy_on_valid = student.function("accuracy_on_valid")
    g = torch.Generator().manual_seed(3)

    def pick(images, k):
        return images[torch.randperm(len(images), generator=g)[:k]]

    for n3, n7, v3, v7 in SUBSETS:
        data = pick(sample.train_3, n3), pick(sample.train_7, n7), pick(sample.valid_3, v3), pick(sample.valid_7, v7)
        got = accuracy_on_valid(*(t.clone() for t in data))
        what = f"accuracy_on_valid with {n3} + {n7} training and {v3} + {v7} valid digits"
        assert isinstance(got, (tuple, list)) and len(got) == 2, \
            f"{what} should return two numbers (accuracy on 3s, accuracy on 7s), got {kind(got)}"
        expected_3s, expected_7s = pixel_similarity_accuracy(*data)
        assert_close(got[0], expected_3s, f"{what}: the accuracy on the 3s")
        called_3 = abs(to_number(got[1], "the accuracy on the 7s") - (1 - expected_7s)) < 1e-6 and expected_7s != 0.5
        assert_close(got[1], expected_7s, f"{what}: the accuracy on the 7s",
                     advice="that is the share of 7s called a 3; a 7 is right when it is NOT called a 3" if called_3
                     else "")
