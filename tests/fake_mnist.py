"""Small fake full-MNIST archives, laid out as fastai's `mnist_png.tgz`, and fastai's checksum of an archive."""
from __future__ import annotations

import hashlib
import os
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image

from fastquiz.reference.data import load_mnist_digits

SMALL_COUNTS = {"training": (30,) * 10, "testing": (5,) * 10}  # digits per class, for `reference.data.MNIST_COUNTS`


def fastai_check(archive: Path) -> tuple[int, str]:
    """(size, MD5 of the first 2**20 bytes): what fastai's checks.txt lists, as fastdownload computes it."""
    with open(archive, "rb") as f:
        return os.path.getsize(archive), hashlib.md5(f.read(2**20)).hexdigest()


def fake_mnist_archive(path: Path, counts: dict = SMALL_COUNTS, padding: int = 2**20) -> Path:
    """A `mnist_png/` archive (training/<digit>/ and testing/<digit>/ PNGs of real embedded digits, no digit in
    both), plus `padding` random bytes, so that it can be larger than the part fastai hashes."""
    digits = load_mnist_digits()
    folder = path.parent / f"{path.stem}-tree" / "mnist_png"
    for split, per_digit in counts.items():
        start = 0 if split == "training" else 200
        for digit, n in enumerate(per_digit):
            (folder / split / str(digit)).mkdir(parents=True)
            images = digits.train_images[digits.train_labels == digit][start:start + n]
            for i, image in enumerate(images):
                Image.fromarray((image.numpy() * 255).astype(np.uint8)).save(folder / split / str(digit) / f"{i}.png")
    (folder / "noise.bin").write_bytes(np.random.default_rng(0).bytes(padding))
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        tar.add(folder, arcname="mnist_png")
    return path


def expecting(counts: dict, folder: Path) -> Path:
    """A folder whose sitecustomize makes a Python process that has it on PYTHONPATH take a full MNIST
    folder of `counts` digits as complete: the grading processes fastquiz starts (fresh interpreters,
    which a monkeypatch in the test's process does not reach)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(f"import fastquiz.reference.data\n\n"
                                             f"fastquiz.reference.data.MNIST_COUNTS = {counts!r}\n")
    return folder
