"""Gradescope's side of `fastquiz export gradescope`: grade the submission that Gradescope put
in ROOT/submission and write ROOT/results/results.json.

The zip's `run_autograder` runs `python -m fastquiz.gradescope_autograder ROOT`. The
submission is graded as `fastquiz grade` grades one: copied, isolated, all questions, with the
hidden checks the zip carries in ROOT/source/hidden, if any (student code can't see them).
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from .batch import grade_submissions
from .executors import local_executor
from .exports import gradescope_problem, gradescope_results
from .files import write_atomic
from .platforms import HIDDEN
from .submissions import is_zip
from .workspace import answer_files


def find_submission(folder: Path) -> Path:
    """The submission folder, or the one zip in it (a regular file named .zip, in any case) when
    the folder holds no answers itself."""
    zips = [path for path in folder.iterdir() if is_zip(path) and path.is_file() and not path.is_symlink()]
    return zips[0] if len(zips) == 1 and not answer_files(folder) else folder


def write_results(root: Path) -> dict:
    """Grade ROOT/submission into ROOT/results/results.json; returns what was written."""
    shipped = (root / "source" / HIDDEN).resolve()
    hidden = shipped if shipped.is_dir() else None
    batch = grade_submissions([find_submission(root / "submission")], None, local_executor(None, hidden), hidden)
    (row,) = batch.rows
    if row.report is None:
        results = gradescope_problem(row.name, row.problem)
    else:
        results = gradescope_results(row.report, batch.seconds_each)
        results["output"] = "; ".join(filter(None, [batch.notes.get(row.name), results["output"]]))
    (root / "results").mkdir(parents=True, exist_ok=True)
    write_atomic(root / "results" / "results.json", json.dumps(results, indent=2))
    return results


@click.command()
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
def main(root: Path) -> None:
    """Grade ROOT/submission (Gradescope's layout) into ROOT/results/results.json."""
    results = write_results(root)
    click.echo(f"score: {results['score']}")


if __name__ == "__main__":
    main()
