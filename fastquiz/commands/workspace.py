"""A student's own commands: init, list, hint, solution, reset."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import FastquizError
from ..grader.question import REVEALING_LEVEL, Question, load_questions, read_question
from ..grader.results import NOT_STARTED
from ..workspace import (NO_MODEL_ANSWERS, cached_results, init_workspace, last_status, model_answer, record_early_hint,
                         reset_answer)
from .options import TITLE_WIDTH, Writable, resolve_questions, resolve_workspace, title_lines, workspace_option


def _question(question_id: str) -> Question:
    """The question an id names, read without importing its checks."""
    (module,) = resolve_questions([question_id])
    return read_question(module)


@click.command()
@click.argument("folder", type=Writable(folder=True))
@click.option("--notebook", "with_notebook", is_flag=True,
              help="Also write FOLDER/fastquiz.ipynb, to answer and check every question in Jupyter.")
def init(folder: Path, with_notebook: bool) -> None:
    """Make a fresh workspace in FOLDER with every exercise's stub."""
    from ..notebook import NOTEBOOK, write

    if with_notebook and (folder / NOTEBOOK).exists():
        raise FastquizError(f"{folder / NOTEBOOK} already exists: nothing was changed; choose a new folder")
    files = init_workspace(folder)
    if with_notebook:
        click.echo(f"{len(files)} exercises in {folder}. Open {write(folder).name} in Jupyter and run its cells.")
    else:
        click.echo(f"{len(files)} exercises in {folder}. Open {files[0].name}, then run `fastquiz check` there.")


@click.command("list")
@workspace_option
def list_questions(workspace: Path | None) -> None:
    """Every question with its status, and your progress in points."""
    from .check import grade_and_remember

    workspace = resolve_workspace(workspace)
    questions = load_questions()
    results = cached_results(workspace)
    stale = [q.module for q in questions if q.module not in results]
    if stale:
        results.update(zip(stale, grade_and_remember(workspace, stale).questions))
    score = sum(results[q.module].score for q in questions)
    total = sum(q.points for q in questions)
    for q in questions:
        result = results[q.module]
        first, *more = title_lines(q.title)
        click.echo(f"{q.id:<4} {first:<{TITLE_WIDTH}} {result.status:<11} {result.score:>2}/{q.points}")
        for line in more:
            click.echo(f"{'':<4} {line}")
    filled = round(30 * score / total) if total else 0
    click.echo(f"[{'#' * filled}{'.' * (30 - filled)}] {score}/{total} points")


@click.command()
@click.argument("question_id", metavar="QUESTION")
@click.option("--level", type=click.IntRange(min=1), default=1, show_default=True,
              help=f"1 is a nudge; from {REVEALING_LEVEL} on, hints give part of the answer away, once an attempt "
                   "of yours has been graded.")
@click.option("--force", is_flag=True, help="Show a level that gives part of the answer away before any attempt "
                                            "of yours has been graded (your report will list it).")
@workspace_option
def hint(question_id: str, level: int, force: bool, workspace: Path | None) -> None:
    """A hint for QUESTION."""
    question = _question(question_id)
    if level > len(question.hints):
        raise click.UsageError(f"{question.id} has {len(question.hints)} hint levels: use --level 1 to "
                               f"{len(question.hints)}")
    if level >= REVEALING_LEVEL:
        folder = resolve_workspace(workspace)
        if last_status(folder, question.module) in (None, NOT_STARTED):
            if not force:
                raise FastquizError(
                    f"hint {level} of {question.id} gives part of the answer away: it opens once `fastquiz check "
                    f"{question.id}` has graded an attempt of yours; --force shows it now, and your report lists it")
            record_early_hint(folder, question.module, level)
    for n, text in enumerate(question.hints[:level], start=1):
        click.echo(f"{question.id} hint {n}/{len(question.hints)}: {text}")
    if level < len(question.hints):
        click.echo(f"More: fastquiz hint {question.id} --level {level + 1}")


@click.command()
@click.argument("question_id", metavar="QUESTION")
@click.option("--force", is_flag=True, help="Show it even though the question does not pass yet.")
@workspace_option
def solution(question_id: str, force: bool, workspace: Path | None) -> None:
    """The model answer to QUESTION, once your answer passes (or with --force)."""
    from .check import grade_and_remember

    question = _question(question_id)
    model = model_answer(question.module)
    if model is None:
        raise FastquizError(f"{NO_MODEL_ANSWERS}; `fastquiz hint {question.id}` still helps")
    if not force:
        result = grade_and_remember(resolve_workspace(workspace), [question.module]).questions[0]
        if result.status != "passed":
            raise FastquizError(
                f"{question.id} does not pass yet ({result.status}): try `fastquiz hint {question.id}`, "
                "or see the model answer anyway with --force"
            )
    click.echo(model.read_text(), nl=False)


@click.command()
@click.argument("question_id", metavar="QUESTION")
@workspace_option
def reset(question_id: str, workspace: Path | None) -> None:
    """Put QUESTION's stub back; your answer is kept in .fastquiz/backups."""
    question = _question(question_id)
    backup = reset_answer(resolve_workspace(workspace), question.module)
    click.echo(f"{question.module}.py is the stub again" + (f"; your answer is in {backup}" if backup else ""))
