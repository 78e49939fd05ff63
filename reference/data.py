"""The chapter's data: MNIST 3s and 7s as tensors, from the embedded digits or a folder.

Images come back as float32 tensors in [0, 1] of shape (n, 28, 28), as in the chapter
(`tensor(Image.open(path)).float() / 255`). `MnistSample.xy` flattens them to rows of
784 pixels with labels that follow the chapter: 1 means "is a 3", 0 means "is a 7".
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

EMBEDDED = "mnist_digits.npy.gz"
SPLITS = ("train", "valid")
EXPECTED_COUNTS = {("train", 3): 6131, ("train", 7): 6265, ("valid", 3): 1010, ("valid", 7): 1028}


class DataError(Exception):
    """A data folder or archive that can't be used; the message says what to do."""


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
    """All ten digits from the embedded set: (n, 28, 28) images in [0, 1], int64 labels."""

    train_images: torch.Tensor
    train_labels: torch.Tensor
    valid_images: torch.Tensor
    valid_labels: torch.Tensor


def load_mnist_digits() -> MnistDigits:
    """The embedded digits, all ten classes, 400 train and 100 valid of each."""
    with resources.files(__package__).joinpath(EMBEDDED).open("rb") as raw, gzip.open(raw) as gz:
        arrays = [np.load(gz, allow_pickle=False) for _ in range(4)]
    train_images, train_labels, valid_images, valid_labels = arrays
    return MnistDigits(
        train_images=_to_float(train_images), train_labels=torch.from_numpy(train_labels).long(),
        valid_images=_to_float(valid_images), valid_labels=torch.from_numpy(valid_labels).long(),
    )


def load_mnist_sample(path: str | Path | None = None) -> MnistSample:
    """3s and 7s: from an MNIST_SAMPLE folder (train/3, train/7, valid/3, valid/7 of PNGs),
    or, with no path, from the embedded digits."""
    if path is None:
        digits = load_mnist_digits()
        pick = {
            f"{split}_{d}": getattr(digits, f"{split}_images")[getattr(digits, f"{split}_labels") == d]
            for split in SPLITS for d in (3, 7)
        }
        return MnistSample(**pick, source="embedded")
    root = Path(path)
    check_sample_folder(root)
    tensors = {f"{split}_{d}": _read_pngs(root / split / str(d)) for split in SPLITS for d in (3, 7)}
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


def _read_pngs(folder: Path) -> torch.Tensor:
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
    return _to_float(images)


def _to_float(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(images).float() / 255
