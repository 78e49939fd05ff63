"""Grade workspaces: the grader's public entry point.

    report = grade(Path("my-answers"))                       # check mode: what `fastquiz check` does
    reports = grade_many(folders, limits=Limits(isolate=True)) # grade mode: what `fastquiz grade` does

The work happens in other processes (see PROCESSES.md): the caller's process only plans it
and collects the results, so it can be a long-lived process that grades many times.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from . import catalog, controller, tree
from .controller import GraderError, IsolationUnavailable, isolation, require_full
from .origin import origin_for
from .question import resolve
from .results import GradeReport, QuestionResult
from .sandbox import worker_environment
from .student import Student, libraries_for
from .task import Unit, start_worker
from .worker import Limits

__all__ = ["GraderError", "IsolationUnavailable", "Limits", "answer", "grade", "grade_many", "isolation",
           "require_full"]


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

    confinement = controller.grade(folders, modules, jobs or os.cpu_count() or 1, limits or Limits(),
                                 Path(hidden).resolve() if hidden else None, collect)
    if any(len(r) != len(modules) for r in results):
        raise GraderError("the grader stopped before every question was graded")
    order = [m.split("_", 1)[0] for m in modules]
    return [GradeReport([r[i] for i in order], str(confinement)) for r in results]


@contextmanager
def answer(path: Path, time_limit: float, png: bool = False) -> Iterator[Student]:
    """The answer file at `path` (named like its question's files), loaded in a worker of its own, for
    code outside grading that runs a student's functions (the report); the worker ends on exit.

    `time_limit`: the CPU seconds all its calls may use. Raises what `Student.load` raises."""
    (module,) = resolve([Path(path).name.split("_", 1)[0]])
    (checked,) = catalog.load([module], controller.STUBS_DIR, None)
    scratch = Path(tempfile.mkdtemp(prefix="fastquiz-answer-"))
    unit = Unit(0, Path(path).resolve().parent, [checked], libraries_for(Path(path).read_text(errors="replace")))
    client, worker = origin_for(False).client(), None
    try:
        worker = start_worker(unit, client, Limits(), scratch, worker_environment([]))
        student = Student(module, Path(path).resolve(), worker, time_limit, png=png)
        student.load()
        yield student
    finally:
        if worker is not None:
            worker.stop()
        client.close()
        tree.remove(str(scratch))
