"""`fastquiz grade`: an instructor's batch grading of many submissions.

Everything a command line can get wrong (a submission that is not there, an unknown question, an
--out that can't be written, an incomplete --data) is a usage or data error before any work, and
nothing is written. The exit code says whether every submission was graded (`errors.ExitCode`).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ..batch import BUDGET_SECONDS, Batch, grade_submissions
from ..errors import DataUnavailable, ExitCode
from ..executors import Executor, dask_executor, local_executor
from ..files import write_atomic
from ..names import output_folders
from ..progress import Progress
from .options import Writable, question_ids, resolve_questions


def _existing(ctx: click.Context, param: click.Parameter, paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """The submissions as given; a usage error, before any work, for one that is not there at all."""
    missing = [str(path) for path in paths if not os.path.lexists(path)]
    if missing:
        raise click.BadParameter(f"{', '.join(missing)}: no such file or folder", ctx, param)
    return paths


@click.command()
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path), callback=_existing)
@click.option("--out", "out_dir", required=True, type=Writable(folder=True),
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
@click.option("--data", "mnist", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The full MNIST folder (mnist_png) to judge r2 on (default: the one `fastquiz check` would use: "
                   "`fastquiz data download mnist`'s, else the embedded digits); with --executor dask, every "
                   "worker reads it at this path.")
def grade(submissions: tuple[Path, ...], out_dir: Path, question_list: str, jobs: int | None,
          executor: str, scheduler: str | None, hidden: Path | None, isolation: str, budget: float,
          mnist: Path | None) -> None:
    """Grade SUBMISSIONS (workspace folders, zips or notebooks), each in processes of its own. The exit
    code says whether every submission was graded (`fastquiz --help` lists the codes)."""
    modules = resolve_questions([q for q in question_list.split(",") if q.strip()])
    ids = question_ids(modules)
    hidden, mnist = (path.resolve() if path else None for path in (hidden, mnist))
    run = _executor(executor, scheduler, jobs, hidden, mnist)
    progress = Progress(_costs(modules))  # from now on: "in N s", at the end, is the whole run's time
    if mnist is not None:
        from ..datasets import MNIST  # (it reads PNGs: torch, which grading needs in its own processes only)

        problem = MNIST.problem(mnist)
        if problem:
            raise DataUnavailable(f"{mnist}/{problem}: pass a complete mnist_png folder to --data, or run "
                                  "`fastquiz data download mnist`")
    try:
        batch = grade_submissions(list(submissions), ids, run, hidden, progress, budget, isolation == "strict",
                                  (out_dir,))
    finally:
        progress.close()
    if executor != "local" and batch.graded:
        click.echo(f"isolation: {batch.isolation}")
    out_dir.mkdir(parents=True, exist_ok=True)
    write_outputs(batch, out_dir, ids)
    click.echo(f"graded {len(batch.graded)} of {len(batch.rows)} submissions into {out_dir}")
    if len(batch.graded) < len(batch.rows):
        raise SystemExit(ExitCode.NOT_ALL_GRADED)


def _costs(modules: list[str]) -> dict[str, float]:
    """Each question's expected cost, by id, for the progress line: its time limit (read without importing it)."""
    from ..grader.question import read_question

    return {question.id: question.time_limit for question in map(read_question, modules)}


def _executor(kind: str, scheduler: str | None, jobs: int | None, hidden: Path | None, mnist: Path | None) -> Executor:
    if kind == "local":
        if scheduler:
            raise click.UsageError("--scheduler is for --executor dask")
        return local_executor(jobs, hidden, announce=lambda found: click.echo(f"isolation: {found}"), mnist=mnist)
    if not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDR, the address of a running Dask scheduler")
    if jobs:
        raise click.UsageError("--jobs is for the local executor: a Dask cluster runs a submission per thread")
    return dask_executor(scheduler, hidden, mnist)


def write_outputs(batch: Batch, out_dir: Path, ids: list[str]) -> None:
    """Each graded submission's results.json and junit.xml, in a folder named after it that is
    safe on any file system, then the class's files; a line per submission on stdout."""
    from ..class_page import CLASS_PAGE_FILES, write_class_files
    from ..exports import gradebook_csv, gradescope_results, junit_xml, summary_json

    graded = [row.name for row in batch.graded]
    files = [path.name for path in out_dir.iterdir() if not path.is_dir()]  # an instructor's notes, say
    class_files = ["gradebook.csv", "summary.json", *CLASS_PAGE_FILES]
    folders = dict(zip(graded, output_folders(graded, taken=[*class_files, *files])))
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
    write_atomic(out_dir / "gradebook.csv", gradebook_csv(batch.rows, ids))
    write_atomic(out_dir / "summary.json", summary_json(batch.rows, folders))
    write_class_files(batch, out_dir)
