"""`fastquiz notebook`: a notebook of the workspace's questions, each cell holding the current answer."""
from __future__ import annotations

from pathlib import Path

import click

from .export import package_spec
from .options import Writable, resolve_workspace, workspace_option


@click.command()
@workspace_option
@click.option("--out", type=Writable(), default=None,
              help="Where to write it (default: fastquiz.ipynb in the workspace); an existing file is never replaced.")
@package_spec("What the notebook's set-up cell installs fastquiz from where it is missing, as on Colab (default: "
              "fastquiz, the public package).")
def notebook(workspace: Path | None, out: Path | None, package: str | None) -> None:
    """Write a Jupyter notebook with every question's prompt and your current answer: each cell, when
    run, saves its code as that question's answer file and checks it."""
    from ..notebook import write

    workspace = resolve_workspace(workspace)
    path = write(workspace, out, package or "fastquiz")
    click.echo(f"{path}: open it in Jupyter (or upload it to Colab) and run its set-up cell first")
