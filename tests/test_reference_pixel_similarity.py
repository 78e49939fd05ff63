"""fastquiz.reference.pixel_similarity: the chapter's baseline, nearest ideal digit by L1 distance."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from fastquiz.reference import is_3, mnist_distance, pixel_similarity_accuracy


def _images(seed: int, *shape: int) -> torch.Tensor:
    return torch.rand(*shape, generator=torch.Generator().manual_seed(seed))


def test_mnist_distance_is_the_mean_absolute_difference():
    a = torch.zeros(28, 28)
    b = torch.zeros(28, 28)
    b[:14] = 1.0  # half the pixels differ by 1
    assert mnist_distance(a, b).item() == pytest.approx(0.5)
    assert mnist_distance(b, a).item() == pytest.approx(0.5)
    assert mnist_distance(a, a).item() == 0.0


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 6), seed=st.integers(0, 2**31 - 1))
def test_mnist_distance_broadcasting_a_batch_equals_an_explicit_loop(n, seed):
    batch, ideal = _images(seed, n, 28, 28), _images(seed + 1, 28, 28)
    broadcast = mnist_distance(batch, ideal)
    looped = torch.stack([(image - ideal).abs().mean() for image in batch])
    assert broadcast.shape == (n,)
    assert torch.allclose(broadcast, looped)


def test_is_3_is_true_only_for_images_nearer_the_ideal_3():
    mean3, mean7 = torch.zeros(28, 28), torch.ones(28, 28)
    batch = torch.stack([torch.full((28, 28), 0.2), torch.full((28, 28), 0.8), mean3, mean7])
    assert is_3(batch, mean3, mean7).tolist() == [True, False, True, False]


def test_pixel_similarity_is_perfect_when_the_digits_are_the_ideals_themselves():
    threes, sevens = torch.zeros(5, 28, 28), torch.ones(4, 28, 28)
    assert pixel_similarity_accuracy(threes, sevens, threes, sevens) == (1.0, 1.0)


def test_pixel_similarity_reports_accuracy_on_3s_and_on_7s_separately():
    train_3, train_7 = torch.zeros(2, 28, 28), torch.ones(2, 28, 28)
    valid_3 = torch.stack([torch.full((28, 28), v) for v in (0.1, 0.2, 0.3, 0.9)])  # 3 of 4 look like 3s
    valid_7 = torch.stack([torch.full((28, 28), v) for v in (0.9, 0.1)])  # 1 of 2 looks like a 7
    on_3s, on_7s = pixel_similarity_accuracy(train_3, train_7, valid_3, valid_7)
    assert on_3s == pytest.approx(0.75)
    assert on_7s == pytest.approx(0.5)


def test_pixel_similarity_beats_chance_by_far_on_the_embedded_digits(embedded_sample):
    s = embedded_sample
    on_3s, on_7s = pixel_similarity_accuracy(s.train_3, s.train_7, s.valid_3, s.valid_7)
    assert on_3s > 0.85 and on_7s > 0.85


@pytest.mark.slow
def test_pixel_similarity_on_the_full_sample_gives_the_books_figures(full_sample):
    s = full_sample
    on_3s, on_7s = pixel_similarity_accuracy(s.train_3, s.train_7, s.valid_3, s.valid_7)
    assert round(on_3s, 4) == 0.9168
    assert round(on_7s, 4) == 0.9854
