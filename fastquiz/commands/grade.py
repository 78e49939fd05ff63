"""`fastquiz grade`: an instructor's batch grading of many submissions."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..batch import BUDGET_SECONDS, Batch, grade_submissions
from ..errors import FastquizError, GraderFailed
from ..executors import Executor, dask_executor, local_executor
from ..files import write_atomic
from ..names import output_folders
from .options import question_ids, resolve_questions


@click.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where to write each submission's results, the class's gradebook and class.html.")
@click.option("--questions", "question_list", default="", metavar="IDS",
              help="Grade only these questions, comma-separated (q04,q09); default: all.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Submissions graded at once by the local executor (default: CPUs).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Grade in processes on this machine, or on a Dask cluster (needs --scheduler).")
@click.option("--scheduler", metavar="ADDR", help="The Dask scheduler's address, e.g. tcp://10.0.0.5:8786.")
@click.option("--hidden", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of hidden checks and answer keys that students never get (see grader/README.md).")
@click.option("--isolation", type=click.Choice(["auto", "strict"]), default="auto", show_default=True,
              help="strict: refuse to grade unless the student's code is fully isolated (Landlock and seccomp).")
@click.option("--budget", type=click.FloatRange(min=1), default=BUDGET_SECONDS, show_default=True, metavar="SECONDS",
              help="How long one submission may take in all; questions it cuts off are timeouts.")
def grade(submissions: tuple[Path, ...], out_dir: Path, question_list: str, jobs: int | None,
          executor: str, scheduler: str | None, hidden: Path | None, isolation: str, budget: float) -> None:
    """Grade SUBMISSIONS (workspace folders, zips or notebooks), each in processes of its own."""
    modules = resolve_questions([q for q in question_list.split(",") if q.strip()])
    ids = question_ids(modules)
    hidden = hidden.resolve() if hidden else None
    if executor == "local":
        _announce_isolation(isolation == "strict")
    batch = grade_submissions(list(submissions), ids, _executor(executor, scheduler, jobs, hidden), hidden, budget,
                              isolation == "strict", (out_dir,))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_outputs(batch, out_dir, ids)
    click.echo(f"graded {len(batch.graded)} of {len(batch.rows)} submissions into {out_dir}")


def _announce_isolation(strict: bool) -> None:
    """One line naming the isolation in force; with --isolation strict, refuse where it is not full."""
    from ..grader.runner import GraderError, IsolationUnavailable, Limits, require_full
    from ..grader.runner import isolation as probe

    try:
        found = probe(Limits(isolate=True))
        if strict:
            require_full(found)
    except IsolationUnavailable as error:
        raise FastquizError(f"--isolation strict: {error}") from None
    except GraderError as error:
        raise GraderFailed(error) from None
    click.echo(f"isolation: {found}")


def _executor(kind: str, scheduler: str | None, jobs: int | None, hidden: Path | None) -> Executor:
    if kind == "local":
        if scheduler:
            raise click.UsageError("--scheduler is for --executor dask")
        return local_executor(jobs, hidden)
    if not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDR, the address of a running Dask scheduler")
    if jobs:
        raise click.UsageError("--jobs is for the local executor: a Dask cluster runs a submission per thread")
    return dask_executor(scheduler, hidden)


CLASS_FILES = ("gradebook.csv", "summary.json", "class.html")


def write_outputs(batch: Batch, out_dir: Path, ids: list[str]) -> None:
    """Each graded submission's results.json and junit.xml, in a folder named after it that is
    safe on any file system, then the class's files (CLASS_FILES); a line per submission on stdout."""
    from ..class_page import class_page
    from ..class_summary import summarize
    from ..exports import gradebook_csv, gradescope_results, junit_xml, summary_json

    graded = [row.name for row in batch.graded]
    files = [path.name for path in out_dir.iterdir() if not path.is_dir()]  # an instructor's notes, say
    folders = dict(zip(graded, output_folders(graded, taken=[*CLASS_FILES, *files])))
    for name, report, problem in batch.rows:
        if report is None:
            click.echo(f"{name}: not graded: {problem}")
            continue
        folder = out_dir / folders[name]
        folder.mkdir(exist_ok=True)
        write_atomic(folder / "results.json", json.dumps(gradescope_results(report, batch.seconds_each), indent=2))
        write_atomic(folder / "junit.xml", junit_xml(report, name))
        where = "" if folder.name == name else f" (in {folder.name})"
        note = f" ({batch.notes[name]})" if name in batch.notes else ""
        click.echo(f"{name}: {report.score}/{report.max_score}{where}{note}")
    gradebook, summary, page = (out_dir / file for file in CLASS_FILES)
    write_atomic(gradebook, gradebook_csv(batch.rows, ids))
    write_atomic(summary, summary_json(batch.rows))
    write_atomic(page, class_page(summarize(batch.rows)))
