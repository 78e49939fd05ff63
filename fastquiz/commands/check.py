"""`fastquiz check`: grade a workspace, one line per question."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import FastquizError
from ..files import write_atomic

STATUS_COLOURS = {"passed": "green", "failed": "red", "error": "red", "timeout": "yellow", "not_started": None}


@click.command()
@click.argument("questions", nargs=-1)
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The folder with your answers (default: the current folder).")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results as JSON.")
def check(questions: tuple[str, ...], workspace: Path, json_path: Path | None) -> None:
    """Grade your answers: all questions, or only those named (q4, q04, r1 ...)."""
    from ..grader.runner import GraderError, grade

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
        write_atomic(json_path, json.dumps(report.as_dict(), indent=2))
    if not report.all_passed:
        raise SystemExit(1)
