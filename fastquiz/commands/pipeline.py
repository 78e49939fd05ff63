"""`fastquiz pipeline`: chapter 4 end to end, each stage beside the book's figure."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import FastquizError
from ..files import write_atomic
from .data import data_errors, download
from .options import Writable


@click.command()
@click.option("--data", "data_dir", type=click.Path(path_type=Path),
              help="An MNIST_SAMPLE folder (train/3, train/7, valid/3, valid/7).")
@click.option("--download", "use_download", is_flag=True, help="Use the full MNIST_SAMPLE, downloading it if needed.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--json", "json_path", type=Writable(), help="Also write the figures as JSON.")
def pipeline(data_dir: Path | None, use_download: bool, device: str, seed: int, json_path: Path | None) -> None:
    """Run chapter 4 end to end and print each stage's accuracy beside the book's."""
    from ..pipeline import TOTAL_EPOCHS, as_json, run_pipeline
    from ..reference import default_device, load_mnist_sample

    if data_dir and use_download:
        raise FastquizError("give --data or --download, not both")
    try:
        torch_device = default_device(device)
    except RuntimeError as error:
        raise FastquizError(str(error)) from None
    with data_errors():
        sample = load_mnist_sample(download() if use_download else data_dir)
    n_train = len(sample.train_3) + len(sample.train_7)
    click.echo(f"data: {sample.source} ({n_train} training images), device: {torch_device}")
    with click.progressbar(length=TOTAL_EPOCHS, label="Training", file=sys.stderr) as bar:
        results = list(run_pipeline(sample, torch_device, seed=seed, on_epoch=lambda: bar.update(1)))
    click.echo(f"{'stage':<36} {'ours':>7} {'book':>15}")
    for result in results:
        low, high = result.book_range
        book = f"{high:.4f}" if low == high else f"{low:.4f}-{high:.4f}"
        click.echo(f"{result.name:<36} {result.accuracy:>7.4f} {book:>15}")
    if json_path:
        write_atomic(json_path, json.dumps(as_json(results, torch_device, sample.source), indent=2))
