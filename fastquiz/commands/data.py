"""`fastquiz data download|path`, and the download-with-progress that `pipeline` shares."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import click

from ..errors import DataUnavailable, FastquizError
from .options import Writable


@contextmanager
def data_errors() -> Iterator[None]:
    """Turn the data layer's errors into one-line messages with their exit code."""
    from ..reference.errors import DataError

    try:
        yield
    except DataError as error:
        raise DataUnavailable(str(error)) from None


class _DownloadBar:
    """A progress bar on stderr, fed by the downloader's (bytes so far, total) callbacks."""

    def __init__(self, label: str):
        self.label, self.done = label, 0
        self.bar: Any = None  # click's progress bar, once the total is known

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is None:  # the total is known only once the server answers
            self.bar = click.progressbar(length=total or 0, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def download(url: str | None = None, directory: Path | None = None, sha256: str | None = None,
             dataset_name: str = "mnist_sample") -> Path:
    """The folder of a dataset (MNIST_SAMPLE by default), downloaded with a progress bar when not cached."""
    from .. import datasets

    dataset = datasets.DATASETS[dataset_name]
    bar = _DownloadBar(f"Downloading {dataset.label}")
    try:
        with data_errors():
            return datasets.download(dataset, url=url, directory=directory, sha256=sha256, progress=bar)
    finally:
        bar.close()


DATASET = click.argument("dataset_name", metavar="[mnist_sample|mnist]", required=False, default="mnist_sample",
                         type=click.Choice(["mnist_sample", "mnist"]))


@click.group()
def data() -> None:
    """Get fastai's MNIST_SAMPLE (3s and 7s) or MNIST (all ten digits); the embedded digits need nothing."""


@data.command("download")
@DATASET
@click.option("--url", help="A mirror of the archive (default: fastai's public URL).")
@click.option("--sha256", help="The SHA-256 a --url archive must have.")
@click.option("--dir", "directory", type=Writable(folder=True),
              help="Where to keep the data (default: $FASTQUIZ_DATA or ~/.cache/fastquiz).")
def data_download(dataset_name: str, url: str | None, sha256: str | None, directory: Path | None) -> None:
    """Download, verify and unpack MNIST_SAMPLE (the default) or MNIST, or reuse a copy already on disk."""
    if sha256 and not url:
        raise FastquizError("--sha256 checks a --url mirror; fastai's own archive is checked against fastai's hash")
    click.echo(download(url, directory, sha256, dataset_name))


@data.command("path")
@DATASET
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
def data_path(dataset_name: str, directory: Path | None) -> None:
    """Print the folder of MNIST_SAMPLE (the default) or MNIST in use, or say that the embedded digits are used."""
    from .. import datasets

    dataset = datasets.DATASETS[dataset_name]
    found = datasets.find(dataset, directory)
    click.echo(found if found else f"embedded (run `fastquiz data download {dataset.name}` for the full {dataset.label})")
