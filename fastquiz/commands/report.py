"""`fastquiz report`: one self-contained HTML page of a workspace's results, plots and explanations."""
from __future__ import annotations

from pathlib import Path

import click

from ..files import write_atomic
from .options import Writable, require_writable, resolve_workspace, workspace_option


@click.command()
@workspace_option
@click.option("--out", type=Writable(), default=None,
              help="Where to write the page (default: report.html in the workspace).")
def report(workspace: Path | None, out: Path | None) -> None:
    """Write an HTML report: your score, what to fix, plots of your code, your explanations."""
    workspace = resolve_workspace(workspace)
    if out is None:
        out = workspace / "report.html"
        require_writable(out, "--out")
    if out.suffix == ".py":
        raise click.UsageError(f"--out {out} is a Python file: the report never replaces one; give an .html path")
    from ..grader.runner import worker_factory

    worker_factory()  # before the report loads the reference: workers start from a process without it
    from ..report import build_report

    write_atomic(out, build_report(workspace))
    click.echo(f"report written to {out}")
