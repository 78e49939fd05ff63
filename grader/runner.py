"""Grade workspaces: the grader's public entry point.

    report = grade(Path("my-answers"))                       # check mode: what `fastquiz check` does
    reports = grade_many(folders, limits=Limits(isolate=True)) # grade mode: what `fastquiz grade` does

The work happens in other processes (see PROCESSES.md): the caller's process only plans it
and collects the results, so it can be a long-lived process that grades many times.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from . import controller
from .controller import GraderError
from .question import resolve
from .results import GradeReport, QuestionResult
from .worker import Limits

__all__ = ["GraderError", "Limits", "grade", "grade_many"]


def grade(workspace: Path, questions: list[str] | None = None, jobs: int | None = None,
          limits: Limits | None = None, hidden: Path | None = None,
          on_result: Callable[[int, QuestionResult], None] | None = None) -> GradeReport:
    """Grade the named questions (all when None) of one workspace folder.

    Raises KeyError for an id that names no question, GraderError if grading broke down."""
    return grade_many([workspace], questions, jobs, limits, hidden, on_result)[0]


def grade_many(workspaces: list[Path], questions: list[str] | None = None, jobs: int | None = None,
               limits: Limits | None = None, hidden: Path | None = None,
               on_result: Callable[[int, QuestionResult], None] | None = None) -> list[GradeReport]:
    """Grade several workspaces with the same questions, up to `jobs` processes at once;
    `hidden`, a folder of an instructor's hidden checks (see `question.HiddenChecks`);
    `on_result(workspace index, result)` is called here as each question's result comes in."""
    modules = resolve(questions or [])
    folders = [Path(w).resolve() for w in workspaces]
    results: list[dict[str, QuestionResult]] = [{} for _ in folders]

    def collect(index: int, result: QuestionResult) -> None:
        results[index][result.id] = result
        if on_result is not None:
            on_result(index, result)

    isolation = controller.grade(folders, modules, jobs or os.cpu_count() or 1, limits or Limits(),
                                 Path(hidden).resolve() if hidden else None, collect)
    if any(len(r) != len(modules) for r in results):
        raise GraderError("the grader stopped before every question was graded")
    order = [m.split("_", 1)[0] for m in modules]
    return [GradeReport([r[i] for i in order], str(isolation)) for r in results]
