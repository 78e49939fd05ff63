"""`fastquiz check`: grade a workspace, one line per question; `--watch` re-grades on save."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click

from ..errors import ExitCode, FastquizError, GraderFailed
from ..exports import junit_xml, markdown_summary
from ..files import unwritable, write_atomic
from ..grader.question import BANK_VERSION
from ..workspace import MARKER_DIR, RESULTS, answer_files, judged_on, save_results
from .options import (TITLE_WIDTH, Writable, question_ids, require_writable, resolve_questions, resolve_workspace, title_lines,
                      workspace_option)

STATUS_COLOURS = {"passed": "green", "failed": "red", "error": "red", "timeout": "yellow", "memory": "yellow",
                  "not_started": None}
POLL_SECONDS = 0.5


def grade_and_remember(workspace: Path, modules: list[str], engine=None):
    """Grade (with a warm `runner.Engine` where the caller keeps one) and keep each result in the
    workspace's cache (for `list`), found writable first."""
    from ..grader.runner import GraderFault, grade

    cache = workspace / MARKER_DIR / RESULTS
    why = cache.parent.is_dir() and unwritable(cache)
    if why:
        raise FastquizError(f"can't keep results in {cache}: {why}")
    try:
        report = engine.grade([workspace], modules=modules)[0] if engine else grade(workspace, question_ids(modules))
    except GraderFault as error:
        raise GraderFailed(error) from None
    save_results(workspace, modules, report.questions, judged_on(modules))
    return report


def _print(results) -> None:
    for q in results:
        status = click.style(f"{q.status:<11}", fg=STATUS_COLOURS[q.status])
        first, *more = title_lines(q.title)
        click.echo(f"{q.id:<4} {first:<{TITLE_WIDTH}} {status} {q.score:>2}/{q.max_score:<2}  {q.message}".rstrip())
        for line in more:
            click.echo(f"{'':<4} {line}")
        if q.diagnosis:
            click.echo(f"{'':<4} {q.diagnosis}")
        numbers = measured(q)
        if numbers:
            click.echo(f"{'':<4} measured: {numbers}")


def measured(question) -> str:
    """What a question's checks measured of the student's own code (`student.record`), as one line:
    a why-question's experiment in numbers, e.g. q13's gradient spread for each batch size."""
    return "; ".join(f"{name.replace('_', ' ')} {_number(value)}" for part in question.parts
                     for name, value in part.metrics.items())


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e9 else f"{value:.3g}"


def _summary(report) -> None:
    counts = {s: sum(q.status == s for q in report.questions) for s in STATUS_COLOURS}
    parts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items() if n)
    click.secho(f"score: {report.score}/{report.max_score} ({parts})", bold=True)
    click.echo("These are the public checks: your instructor may grade with hidden checks as well.")
    stuck = next((q for q in report.questions if q.status in ("failed", "error", "timeout", "memory")), None)
    if stuck:
        click.echo(f"Stuck on {stuck.id}? Try `fastquiz hint {stuck.id}`.")


@click.command()
@click.argument("questions", nargs=-1)
@workspace_option
@click.option("--json", "json_path", type=Writable(), help="Also write the results as JSON.")
@click.option("--watch", is_flag=True, help="Keep running, and re-grade each exercise when you save it.")
@click.option("--ci", is_flag=True,
              help="For CI: read the answers of a notebook in the workspace, write junit.xml (see --junit) and, where "
                   "$GITHUB_STEP_SUMMARY is set, add a summary there.")
@click.option("--junit", "junit_path", type=Writable(),
              help="Write a JUnit XML report here (with --ci, the default is junit.xml in the workspace).")
def check(questions: tuple[str, ...], workspace: Path | None, json_path: Path | None, watch: bool, ci: bool,
          junit_path: Path | None) -> None:
    """Grade your answers: all questions, or only those named (q4, q04, r1 ...)."""
    if ci and watch:
        raise click.UsageError("--ci grades once; --watch keeps running: choose one")
    workspace = resolve_workspace(workspace)
    if not answer_files(workspace):
        raise FastquizError(f"{workspace} holds no exercise files (q01_....py): pass --workspace with your answers")
    modules = resolve_questions(list(questions))
    if ci and not junit_path:
        junit_path = workspace / "junit.xml"
        require_writable(junit_path, "--junit")
    step_summary = Path(os.environ["GITHUB_STEP_SUMMARY"]) if ci and os.environ.get("GITHUB_STEP_SUMMARY") else None
    if step_summary is not None and not step_summary.is_file() and unwritable(step_summary):
        raise FastquizError(f"can't write the summary to {step_summary} ({unwritable(step_summary)}): "
                            "check $GITHUB_STEP_SUMMARY")
    if ci:
        _read_notebook(workspace)
    report = grade_and_remember(workspace, modules)
    _print(report.questions)
    _summary(report)
    if json_path:
        write_atomic(json_path, json.dumps({"bank": BANK_VERSION, **report.as_dict()}, indent=2))
    if junit_path:
        write_atomic(junit_path, junit_xml(report, "fastquiz"))
    if step_summary is not None:
        _append(step_summary, markdown_summary(report))
    if watch:
        _watch(workspace, modules)
    if not report.all_passed:
        raise SystemExit(ExitCode.FAILED)


def _read_notebook(workspace: Path) -> None:
    """Where the workspace holds a notebook, its answer cells win over the files (saved as the notebook saves them)."""
    from ..notebook import apply

    for note in apply(workspace):
        click.echo(note)


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as summary:
            summary.write(text)
    except OSError as error:
        raise FastquizError(f"can't add the summary to {path} ({error.strerror}): check $GITHUB_STEP_SUMMARY") from None


def _watch(workspace: Path, modules: list[str]) -> None:
    """Poll the answer files; re-grade each one whose contents change. Ctrl-C stops."""
    click.echo("Watching for saved changes (Ctrl-C to stop)...")
    seen = {m: _stamp(workspace / f"{m}.py") for m in modules}
    try:
        while True:
            time.sleep(POLL_SECONDS)
            changed = [m for m in modules if _stamp(workspace / f"{m}.py") != seen[m]]
            for module in changed:
                seen[module] = _stamp(workspace / f"{module}.py")
            if changed:
                _print(grade_and_remember(workspace, changed).questions)
    except KeyboardInterrupt:
        click.echo("stopped watching")


def _stamp(path: Path) -> tuple[float, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size
