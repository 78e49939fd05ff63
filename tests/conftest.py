"""Shared fixtures: the full MNIST_SAMPLE archive from ../shared/data, unpacked and loaded once."""
from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
import torch

REPO_ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    # The tests' matrices are small: one intra-op thread is as fast on an idle machine and
    # avoids a 10-30x slowdown when other processes compete for the cores.
    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def mnist_sample_archive() -> Path:
    """fastai's mnist_sample.tgz next to the repository, in ../shared/data (skips without it)."""
    archive = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist_sample.tgz"
    if not archive.is_file():
        pytest.skip(f"{archive} is not present")
    return archive


@pytest.fixture(scope="session")
def full_sample_dir(mnist_sample_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive unpacked once per session: the `mnist_sample` folder (train/3, train/7, valid/3, valid/7)."""
    dest = tmp_path_factory.mktemp("full_sample")
    with tarfile.open(mnist_sample_archive) as tar:
        tar.extractall(dest, filter="data")
    return dest / "mnist_sample"


@pytest.fixture(scope="session")
def full_sample(full_sample_dir: Path):
    """The full MNIST_SAMPLE as tensors, decoded from PNG once per session (about a second)."""
    from fastquiz.reference import load_mnist_sample

    return load_mnist_sample(full_sample_dir)


@pytest.fixture(scope="session")
def embedded_sample():
    """The embedded 3s and 7s: 400 of each for training, 100 of each for validation."""
    from fastquiz.reference import load_mnist_sample

    return load_mnist_sample()


@pytest.fixture(params=["fork", "spawn"])
def workers(request, monkeypatch) -> str:
    """Grade with workers forked from a warm origin (Linux) or spawned as fresh interpreters (as on
    macOS and Windows): tests that use this run both ways."""
    monkeypatch.setenv("FASTQUIZ_WORKERS", request.param)
    return request.param
