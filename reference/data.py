"""The chapter's data: MNIST 3s and 7s as tensors, from the embedded digits or a folder, and
all ten digits, from the embedded digits or the full MNIST.

Images come back as float32 tensors in [0, 1] of shape (n, 28, 28), as in the chapter
(`tensor(Image.open(path)).float() / 255`). `MnistSample.xy` flattens them to rows of
784 pixels with labels that follow the chapter: 1 means "is a 3", 0 means "is a 7".

The grader judges every model a student trains on digits that student code can't learn
from, so no public function here hands them out: the last 50 of each class of the embedded
digits, and the full MNIST's `testing` folder, are read by the grader's own `_held_out`.
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

from .errors import DataError

EMBEDDED = "mnist_digits.npy.gz"
SPLITS = ("train", "valid")
EXPECTED_COUNTS = {("train", 3): 6131, ("train", 7): 6265, ("valid", 3): 1010, ("valid", 7): 1028}
PUBLIC_VALID = 50  # of each class's 100 embedded validation digits, in file order; the other 50 are held out
# The full MNIST (fastai's URLs.MNIST, `mnist_png/`): PNGs in training/<digit>/ and testing/<digit>/.
MNIST_SPLITS = ("training", "testing")
MNIST_COUNTS = {
    "training": (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
    "testing": (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009),
}
MNIST_ARRAYS = "arrays.npz"  # the PNGs as arrays, written beside them on first read (reading 70,000 PNGs takes seconds)


@dataclass(frozen=True)
class MnistSample:
    """Images of 3s and 7s, split as in the chapter."""

    train_3: torch.Tensor
    train_7: torch.Tensor
    valid_3: torch.Tensor
    valid_7: torch.Tensor
    source: str

    def xy(self, split: str) -> tuple[torch.Tensor, torch.Tensor]:
        """Rows of 784 pixels and (n, 1) float labels, 3s first: 1 = "is a 3"."""
        threes, sevens = getattr(self, f"{split}_3"), getattr(self, f"{split}_7")
        x = torch.cat([threes, sevens]).view(-1, 28 * 28)
        y = torch.cat([torch.ones(len(threes), device=x.device), torch.zeros(len(sevens), device=x.device)]).unsqueeze(1)
        return x, y

    def to(self, device: torch.device | str) -> "MnistSample":
        moved = {name: getattr(self, name).to(device) for name in ("train_3", "train_7", "valid_3", "valid_7")}
        return MnistSample(**moved, source=self.source)


@dataclass(frozen=True)
class MnistDigits:
    """All ten digits: (n, 28, 28) images in [0, 1], int64 labels."""

    train_images: torch.Tensor
    train_labels: torch.Tensor
    valid_images: torch.Tensor
    valid_labels: torch.Tensor


def load_mnist_digits() -> MnistDigits:
    """The embedded digits, all ten classes: 400 train and 50 valid of each."""
    train_images, train_labels, valid_images, valid_labels = _embedded_arrays()
    public = _first_of_each_class(valid_labels, PUBLIC_VALID)
    return MnistDigits(
        train_images=_to_float(train_images), train_labels=torch.from_numpy(train_labels).long(),
        valid_images=_to_float(valid_images[public]), valid_labels=torch.from_numpy(valid_labels[public]).long(),
    )


def load_mnist(path: str | Path) -> tuple[torch.Tensor, torch.Tensor]:
    """The full MNIST's 60,000 training digits, (images, labels), from a `mnist_png` folder
    (`fastquiz data download mnist`)."""
    return _mnist_split(Path(path), "training")


def _held_out(path: str | Path | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The digits the grader judges trained models on, (images, labels): the embedded digits' held-out 50
    of each class, or the full MNIST's testing folder. For the grader only: student code never gets them."""
    if path is not None:
        return _mnist_split(Path(path), "testing")
    _, _, images, labels = _embedded_arrays()
    held_out = ~_first_of_each_class(labels, PUBLIC_VALID)
    return _to_float(images[held_out]), torch.from_numpy(labels[held_out]).long()


def _embedded_arrays() -> list[np.ndarray]:
    with resources.files(__package__).joinpath(EMBEDDED).open("rb") as raw, gzip.open(raw) as gz:
        return [np.load(gz, allow_pickle=False) for _ in range(4)]


def _first_of_each_class(labels: np.ndarray, n: int) -> np.ndarray:
    """A mask of the first `n` items of each class, in file order."""
    rank = np.zeros(len(labels), dtype=int)
    for digit in np.unique(labels):
        where = np.flatnonzero(labels == digit)
        rank[where] = np.arange(len(where))
    return rank < n


def mnist_folder_problem(root: Path) -> str | None:
    """The first PNG folder of a full MNIST folder with the wrong count, as 'testing/4 has 5 PNG files, expected 982'."""
    for split in MNIST_SPLITS:
        for digit, expected in enumerate(MNIST_COUNTS[split]):
            folder = root / split / str(digit)
            found = len(list(folder.glob("*.png"))) if folder.is_dir() else 0
            if found != expected:
                return f"{split}/{digit} has {found} PNG files, expected {expected}"
    return None


def prepare_mnist(root: Path) -> None:
    """Check a full MNIST folder and write its arrays file, so that later reads take a fraction of a second."""
    _mnist_arrays(Path(root))


def _mnist_split(root: Path, split: str) -> tuple[torch.Tensor, torch.Tensor]:
    """One split of a full MNIST folder, from its arrays file when it has one that matches the counts."""
    images, labels = _mnist_arrays(root)[split]
    return _to_float(images), torch.from_numpy(labels).long()


def _mnist_arrays(root: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{split: (uint8 images, labels)}: read from `MNIST_ARRAYS` when it matches the expected counts, else from
    the PNGs (raising DataError for a folder that is incomplete), then written beside them for next time."""
    cached = root / MNIST_ARRAYS
    counts = {split: np.array(MNIST_COUNTS[split]) for split in MNIST_SPLITS}
    try:
        with np.load(cached, allow_pickle=False) as arrays:
            found = {split: (arrays[f"{split}_images"], arrays[f"{split}_labels"]) for split in MNIST_SPLITS}
        if all(np.array_equal(np.bincount(found[s][1], minlength=10), counts[s]) for s in MNIST_SPLITS):
            return found
    except (OSError, KeyError, ValueError):
        pass  # no arrays yet, or damaged ones: read the PNGs
    if not root.is_dir():
        raise DataError(f"{root} is not a folder: run `fastquiz data download mnist`")
    problem = mnist_folder_problem(root)
    if problem:
        raise DataError(f"{root}/{problem}: the folder is incomplete; delete it and run `fastquiz data download mnist`")
    found = {}
    for split in MNIST_SPLITS:
        parts = [_read_pngs(root / split / str(digit), as_bytes=True) for digit in range(10)]
        found[split] = (np.concatenate(parts), np.repeat(np.arange(10), [len(p) for p in parts]))
    _save_arrays(cached, found)
    return found


def _save_arrays(path: Path, arrays: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """Write the arrays file whole or not at all; a folder that can't be written to is read from its PNGs each time."""
    scratch = path.with_name(f".{path.name}.partial")
    try:
        with open(scratch, "wb") as out:
            named: dict[str, Any] = {f"{split}_{kind}": a for split, pair in arrays.items()
                                     for kind, a in zip(("images", "labels"), pair)}
            np.savez(out, **named)
        scratch.replace(path)
    except OSError:
        scratch.unlink(missing_ok=True)


def load_mnist_sample(path: str | Path | None = None) -> MnistSample:
    """3s and 7s: from an MNIST_SAMPLE folder (train/3, train/7, valid/3, valid/7 of PNGs),
    or, with no path, from the embedded digits."""
    if path is None:
        digits = load_mnist_digits()
        pick: dict[str, Any] = {
            f"{split}_{d}": getattr(digits, f"{split}_images")[getattr(digits, f"{split}_labels") == d]
            for split in SPLITS for d in (3, 7)
        }
        return MnistSample(**pick, source="embedded")
    root = Path(path)
    check_sample_folder(root)
    tensors: dict[str, Any] = {f"{split}_{d}": _read_pngs(root / split / str(d)) for split in SPLITS for d in (3, 7)}
    return MnistSample(**tensors, source=str(root))


def check_sample_folder(root: Path) -> None:
    """Raise DataError unless root holds the four PNG folders with the expected counts."""
    if not root.is_dir():
        raise DataError(f"{root} is not a folder: pass an MNIST_SAMPLE folder or run `fastquiz data download`")
    problem = sample_folder_problem(root)
    if problem:
        raise DataError(f"{root}/{problem}: the folder is incomplete; delete it and run `fastquiz data download`")


def sample_folder_problem(root: Path) -> str | None:
    """The first PNG folder under root with the wrong count, as 'train/3 has 5 PNG files, expected 6131'."""
    for (split, digit), expected in EXPECTED_COUNTS.items():
        folder = root / split / str(digit)
        found = len(list(folder.glob("*.png"))) if folder.is_dir() else 0
        if found != expected:
            return f"{split}/{digit} has {found} PNG files, expected {expected}"
    return None


def _read_pngs(folder: Path, as_bytes: bool = False) -> torch.Tensor | np.ndarray:
    """A folder's PNGs, sorted by name, as float images in [0, 1] (or as uint8 arrays)."""
    paths = sorted(folder.glob("*.png"))
    images = np.empty((len(paths), 28, 28), dtype=np.uint8)
    for i, png in enumerate(paths):
        try:
            with Image.open(png) as image:
                if image.format != "PNG" or image.size != (28, 28):
                    raise DataError(f"{png} is not a 28x28 PNG: replace the folder with a fresh download")
                images[i] = np.asarray(image.convert("L"))
        except (UnidentifiedImageError, OSError) as error:
            raise DataError(f"{png} can't be read as a PNG ({error}): replace the folder with a fresh download")
    return images if as_bytes else _to_float(images)


def _to_float(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(images).float() / 255
