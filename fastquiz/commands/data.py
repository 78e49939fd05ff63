"""`fastquiz data download|path`, and the download-with-progress that `pipeline` shares."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from ..errors import DataUnavailable, FastquizError


@contextmanager
def data_errors() -> Iterator[None]:
    """Turn the data layer's errors into one-line messages with their exit code."""
    from ..reference.data import DataError

    try:
        yield
    except DataError as error:
        raise DataUnavailable(str(error)) from None


class _DownloadBar:
    """A progress bar on stderr, fed by the downloader's (bytes so far, total) callbacks."""

    def __init__(self, label: str):
        self.label, self.bar, self.done = label, None, 0

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is None:  # the total is known only once the server answers
            self.bar = click.progressbar(length=total or 0, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def download(url: str | None = None, directory: Path | None = None, sha256: str | None = None) -> Path:
    """The MNIST_SAMPLE folder, downloaded with a progress bar when not cached."""
    from ..datasets import download_sample

    bar = _DownloadBar("Downloading MNIST_SAMPLE")
    try:
        with data_errors():
            return download_sample(url=url, directory=directory, sha256=sha256, progress=bar)
    finally:
        bar.close()


@click.group()
def data() -> None:
    """Get fastai's MNIST_SAMPLE (the embedded digits need nothing)."""


@data.command("download")
@click.option("--url", help="A mirror of the archive (default: fastai's public URL).")
@click.option("--sha256", help="The SHA-256 a --url archive must have.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Where to keep the data (default: $FASTQUIZ_DATA or ~/.cache/fastquiz).")
def data_download(url: str | None, sha256: str | None, directory: Path | None) -> None:
    """Download, verify and unpack MNIST_SAMPLE, or reuse a copy already on disk."""
    if sha256 and not url:
        raise FastquizError("--sha256 checks a --url mirror; fastai's own archive is checked against fastai's hash")
    click.echo(download(url, directory, sha256))


@data.command("path")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
def data_path(directory: Path | None) -> None:
    """Print the MNIST_SAMPLE folder in use, or say that the embedded digits are used."""
    from ..datasets import find_sample

    found = find_sample(directory)
    click.echo(found if found else "embedded (run `fastquiz data download` for the full MNIST_SAMPLE)")
