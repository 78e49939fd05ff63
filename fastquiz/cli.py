"""The `fastquiz` command line."""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from . import __version__
from .errors import DataUnavailable, FastquizError


@click.group()
@click.version_option(__version__, prog_name="fastquiz")
def main() -> None:
    """Graded exercises for fastbook chapter 4: training a digit classifier from scratch."""


@contextmanager
def _data_errors() -> Iterator[None]:
    """Turn the data layer's errors into one-line messages with their exit code."""
    from .reference.data import DataError

    try:
        yield
    except DataError as error:
        raise DataUnavailable(str(error)) from None


def _download_progress(label: str):
    """A click progress bar fed by (bytes so far, total) callbacks; returns (callback, bar)."""
    state: dict = {}

    def update(done: int, total: int | None) -> None:
        if "bar" not in state:
            state["bar"] = click.progressbar(length=total or 0, label=label, file=click.get_text_stream("stderr"))
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done

    def close() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return update, close


def _download(url: str | None, directory: Path | None, sha256: str | None) -> Path:
    from .datasets import download_sample

    update, close = _download_progress("Downloading MNIST_SAMPLE")
    try:
        with _data_errors():
            return download_sample(url=url, directory=directory, sha256=sha256, progress=update)
    finally:
        close()


@main.group()
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
    click.echo(_download(url, directory, sha256))


@data.command("path")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
def data_path(directory: Path | None) -> None:
    """Print the MNIST_SAMPLE folder in use, or say that the embedded digits are used."""
    from .datasets import find_sample

    found = find_sample(directory)
    if found is None:
        click.echo("embedded (run `fastquiz data download` for the full MNIST_SAMPLE)")
    else:
        click.echo(found)


@main.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path),
              help="An MNIST_SAMPLE folder (train/3, train/7, valid/3, valid/7).")
@click.option("--download", is_flag=True, help="Use the full MNIST_SAMPLE, downloading it if needed.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the figures as JSON.")
def pipeline(data_dir: Path | None, download: bool, device: str, seed: int, json_path: Path | None) -> None:
    """Run chapter 4 end to end and print each stage's accuracy beside the book's."""
    from .pipeline import TOTAL_EPOCHS, as_json, run_pipeline
    from .reference import default_device, load_mnist_sample

    if data_dir and download:
        raise FastquizError("give --data or --download, not both")
    try:
        torch_device = default_device(device)
    except RuntimeError as error:
        raise FastquizError(str(error)) from None
    with _data_errors():
        folder = _download(None, None, None) if download else data_dir
        sample = load_mnist_sample(folder)
    n_train = len(sample.train_3) + len(sample.train_7)
    click.echo(f"data: {sample.source} ({n_train} training images), device: {torch_device}")
    with click.progressbar(length=TOTAL_EPOCHS, label="Training", file=click.get_text_stream("stderr")) as bar:
        results = list(run_pipeline(sample, torch_device, seed=seed, on_epoch=lambda: bar.update(1)))
    click.echo(f"{'stage':<36} {'ours':>7} {'book':>15}")
    for result in results:
        low, high = result.book_range
        book = f"{high:.4f}" if low == high else f"{low:.4f}-{high:.4f}"
        click.echo(f"{result.name:<36} {result.accuracy:>7.4f} {book:>15}")
    if json_path:
        _write_atomic(json_path, json.dumps(as_json(results, torch_device, sample.source), indent=2))


STATUS_COLOURS = {"passed": "green", "failed": "red", "error": "red", "timeout": "yellow", "not_started": None}


@main.command()
@click.argument("questions", nargs=-1)
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The folder with your answers (default: the current folder).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results as JSON.")
def check(questions: tuple[str, ...], workspace: Path, json_path: Path | None) -> None:
    """Grade your answers: all questions, or only those named (q4, q04, r1 ...)."""
    from .grader.runner import GraderError, grade

    if not workspace.is_dir():
        raise FastquizError(f"{workspace} is not a folder: pass --workspace with the folder of your answers")
    if not any(workspace.glob("[qr][0-9]*.py")):
        raise FastquizError(f"{workspace} holds no exercise files (q01_....py): pass --workspace with your answers")
    try:
        report = grade(workspace, list(questions))
    except KeyError as unknown:
        raise click.UsageError(f"no question {unknown.args[0]!r}: ids are q01-q37, r1 and r2") from None
    except GraderError as error:
        raise FastquizError(f"{error}: please report this as a fastquiz bug", exit_code=4) from None
    for q in report.questions:
        status = click.style(f"{q.status:<11}", fg=STATUS_COLOURS[q.status])
        click.echo(f"{q.id:<4} {q.title:<44.44} {status} {q.score:>2}/{q.max_score:<2}  {q.message}".rstrip())
    click.echo(f"score: {report.score}/{report.max_score}")
    if json_path:
        _write_atomic(json_path, json.dumps(report.as_dict(), indent=2))
    if not report.all_passed:
        raise SystemExit(1)


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and a rename, so no half-written file is ever left."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text)
        tmp.replace(path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise FastquizError(f"can't write {path} ({error.strerror}): choose a writable path") from None
