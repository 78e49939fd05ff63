"""fastquiz.reference.data: the embedded digits, MNIST_SAMPLE folders and the chapter's (x, y) rows."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from fastquiz.reference import data as data_module
from fastquiz.reference import DataError, MnistSample, load_mnist_digits, load_mnist_sample


@pytest.fixture(scope="module")
def digits():
    return load_mnist_digits()


def _write_folder(root: Path, per_folder: int, seed: int = 0) -> dict[str, np.ndarray]:
    """A small MNIST_SAMPLE-shaped folder of random 28x28 PNGs; returns the pixels written, in name order."""
    rng = np.random.default_rng(seed)
    written = {}
    for split in ("train", "valid"):
        for digit in (3, 7):
            folder = root / split / str(digit)
            folder.mkdir(parents=True)
            pixels = rng.integers(0, 256, size=(per_folder, 28, 28), dtype=np.uint8)
            for i, image in enumerate(pixels):
                Image.fromarray(image, mode="L").save(folder / f"{i:03d}.png")
            written[f"{split}_{digit}"] = pixels
    return written


@pytest.fixture
def small_counts(monkeypatch):
    """Make a folder of 3 PNGs per digit and split count as complete."""
    counts = {(split, digit): 3 for split in ("train", "valid") for digit in (3, 7)}
    monkeypatch.setattr(data_module, "EXPECTED_COUNTS", counts)
    return 3


def test_embedded_digits_are_float_images_in_unit_range_with_long_labels(digits):
    assert digits.train_images.shape == (4000, 28, 28)
    assert digits.valid_images.shape == (500, 28, 28)  # the other 500 are held out for the grader
    for images in (digits.train_images, digits.valid_images):
        assert images.dtype == torch.float32
        assert images.min() == 0.0 and images.max() == 1.0
    for labels in (digits.train_labels, digits.valid_labels):
        assert labels.dtype == torch.int64
    assert torch.bincount(digits.train_labels).tolist() == [400] * 10
    assert torch.bincount(digits.valid_labels).tolist() == [50] * 10


def test_embedded_pixels_are_the_stored_bytes_divided_by_255(digits):
    scaled = digits.train_images * 255
    assert torch.allclose(scaled, scaled.round(), atol=1e-4)
    assert len(scaled.round().unique()) > 200  # real greyscale digits, not just black and white


def test_embedded_sample_holds_the_3s_and_7s_of_the_embedded_digits_in_order(digits, embedded_sample):
    assert embedded_sample.source == "embedded"
    assert torch.equal(embedded_sample.train_3, digits.train_images[digits.train_labels == 3])
    assert torch.equal(embedded_sample.train_7, digits.train_images[digits.train_labels == 7])
    assert torch.equal(embedded_sample.valid_3, digits.valid_images[digits.valid_labels == 3])
    assert torch.equal(embedded_sample.valid_7, digits.valid_images[digits.valid_labels == 7])
    assert [len(t) for t in (embedded_sample.train_3, embedded_sample.train_7)] == [400, 400]
    assert [len(t) for t in (embedded_sample.valid_3, embedded_sample.valid_7)] == [50, 50]


@pytest.mark.parametrize("split", ["train", "valid"])
def test_xy_flattens_images_to_rows_and_labels_3s_as_1_and_7s_as_0(embedded_sample, split):
    threes, sevens = getattr(embedded_sample, f"{split}_3"), getattr(embedded_sample, f"{split}_7")
    x, y = embedded_sample.xy(split)
    assert x.shape == (len(threes) + len(sevens), 784)
    assert y.shape == (len(x), 1) and y.dtype == torch.float32
    assert torch.equal(x[: len(threes)], threes.reshape(-1, 784))
    assert torch.equal(x[len(threes):], sevens.reshape(-1, 784))
    assert y[: len(threes)].eq(1).all() and y[len(threes):].eq(0).all()


def test_xy_puts_the_labels_on_the_same_device_as_the_images(embedded_sample):
    # The meta device stands in for a GPU: labels left on the CPU break indexing and the loss on CUDA.
    x, y = embedded_sample.to("meta").xy("train")
    assert x.device.type == "meta"
    assert y.device == x.device


def test_moving_a_sample_keeps_its_source_and_moves_every_split(embedded_sample):
    moved = embedded_sample.to("meta")
    assert isinstance(moved, MnistSample)
    assert moved.source == embedded_sample.source
    for name in ("train_3", "train_7", "valid_3", "valid_7"):
        assert getattr(moved, name).device.type == "meta"
        assert getattr(moved, name).shape == getattr(embedded_sample, name).shape


def test_loading_a_path_that_is_not_a_folder_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="is not a folder"):
        load_mnist_sample(tmp_path / "nowhere")


def test_loading_an_incomplete_folder_says_how_many_pngs_it_found(tmp_path):
    (tmp_path / "train" / "3").mkdir(parents=True)
    Image.new("L", (28, 28)).save(tmp_path / "train" / "3" / "0.png")
    with pytest.raises(DataError, match=r"has 1 PNG files, expected 6131"):
        load_mnist_sample(tmp_path)


def test_a_complete_folder_loads_as_pixels_over_255_in_file_name_order(tmp_path, small_counts):
    written = _write_folder(tmp_path, small_counts)
    sample = load_mnist_sample(tmp_path)
    assert sample.source == str(tmp_path)
    for name, pixels in written.items():
        loaded = getattr(sample, name)
        assert loaded.dtype == torch.float32 and loaded.shape == (small_counts, 28, 28)
        assert torch.allclose(loaded, torch.from_numpy(pixels).float() / 255)


def test_a_png_that_is_not_28_by_28_is_a_data_error(tmp_path, small_counts):
    _write_folder(tmp_path, small_counts)
    Image.new("L", (32, 32)).save(tmp_path / "valid" / "7" / "001.png")
    with pytest.raises(DataError, match="not a 28x28 PNG"):
        load_mnist_sample(tmp_path)


def test_a_corrupt_png_is_a_data_error(tmp_path, small_counts):
    _write_folder(tmp_path, small_counts)
    (tmp_path / "train" / "7" / "002.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    with pytest.raises(DataError, match="can't be read as a PNG"):
        load_mnist_sample(tmp_path)


@pytest.mark.slow
def test_the_full_sample_has_the_chapters_image_counts(full_sample):
    counts = {(split, d): len(getattr(full_sample, f"{split}_{d}")) for split in ("train", "valid") for d in (3, 7)}
    assert counts == data_module.EXPECTED_COUNTS
    assert full_sample.train_3.dtype == torch.float32
    assert full_sample.train_3.shape[1:] == (28, 28)
    assert 0.0 <= full_sample.train_7.min() and full_sample.train_7.max() <= 1.0


def test_the_held_out_digits_are_in_no_public_split(digits):
    from fastquiz.reference.data import _held_out

    images, labels = _held_out()
    assert images.shape == (500, 28, 28) and torch.bincount(labels).tolist() == [50] * 10
    public = {image.numpy().tobytes() for split in (digits.train_images, digits.valid_images) for image in split}
    assert not {image.numpy().tobytes() for image in images} & public
