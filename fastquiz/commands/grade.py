"""`fastquiz grade`: an instructor's batch grading of many submissions."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import click

from ..errors import FastquizError
from ..files import write_atomic


@click.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where to write each submission's results and the class's gradebook.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Submissions graded at once (default: CPUs).")
def grade(submissions: tuple[Path, ...], out_dir: Path, jobs: int | None) -> None:
    """Grade SUBMISSIONS (workspace folders or zips), each in processes of its own."""
    from ..exports import gradebook_csv, gradescope_results, junit_xml, summary_json
    from ..grader.question import load_questions
    from ..grader.runner import GraderError, grade_many
    from ..grader.worker import Limits
    from ..submissions import prepare
    from ..workspace import solutions_dir

    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="fastquiz-grade-"))  # 0700: workers can't look inside
    try:
        prepared = prepare(list(submissions), scratch)
        ready = [s for s in prepared if s.workspace is not None]
        hide = (str(solutions_dir()), *(str(s.source.resolve()) for s in prepared if s.source.exists()))
        started = time.monotonic()
        try:
            reports = grade_many([s.workspace for s in ready], jobs=jobs, limits=Limits(isolate=True, hide=hide))
        except GraderError as error:
            raise FastquizError(f"{error}: please report this as a fastquiz bug", exit_code=4) from None
        seconds = (time.monotonic() - started) / max(1, len(ready))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    by_name = {s.name: r for s, r in zip(ready, reports)}
    rows = [(s.name, by_name.get(s.name) if not s.problem else None, s.problem) for s in prepared]
    for name, report, problem in rows:
        if report is None:
            click.echo(f"{name}: not graded: {problem}")
            continue
        folder = out_dir / name
        folder.mkdir(exist_ok=True)
        write_atomic(folder / "results.json", _json(gradescope_results(report, seconds)))
        write_atomic(folder / "junit.xml", junit_xml(report, name))
        click.echo(f"{name}: {report.score}/{report.max_score}")
    write_atomic(out_dir / "gradebook.csv", gradebook_csv(rows, [q.id for q in load_questions()]))
    write_atomic(out_dir / "summary.json", summary_json(rows))
    click.echo(f"graded {len(ready)} of {len(rows)} submissions into {out_dir}")


def _json(data: dict) -> str:
    import json

    return json.dumps(data, indent=2)
