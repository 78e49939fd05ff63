"""Grading a batch of submissions: copy each one safely, grade those that can be, and pair
every submission with its report or with the problem that stopped it.

`fastquiz grade` and the Gradescope autograder both grade through here; an `Executor`
(see `executors.py`) decides where the work runs.
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .errors import FastquizError, GraderFailed
from .executors import Executor
from .grader import tree
from .grader.results import GradeReport, QuestionResult
from .progress import Progress


BUDGET_SECONDS = 60.0  # a submission's grading time, all questions together: the model answers take about 6 s


class Graded(NamedTuple):
    """One submission's outcome: a report, or None and the problem that stopped grading."""

    name: str
    report: GradeReport | None
    problem: str


@dataclass
class Batch:
    rows: list[Graded]
    seconds_each: float  # wall time per graded submission
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # submission -> module -> its answer's code
    notes: dict[str, str] = field(default_factory=dict)  # by name: what to say about a graded one (a notebook's)

    @property
    def graded(self) -> list[Graded]:
        return [row for row in self.rows if row.report is not None]

    @property
    def isolation(self) -> str:
        """What isolated the students' code, as the reports record it."""
        return next((row.report.isolation for row in self.rows if row.report is not None), "")


def grade_submissions(sources: list[Path], questions: list[str] | None, executor: Executor,
                      hidden: Path | None = None, progress: Progress | None = None,
                      budget: float | None = BUDGET_SECONDS, strict: bool = False,
                      protect: tuple[Path, ...] = ()) -> Batch:
    """Grade SOURCES (workspace folders or zips) with `executor`, in grade mode: student code is
    isolated and can't see the model answers, the hidden checks, any submission's original files
    or the `protect`ed paths (the output folder); each submission may take `budget` seconds;
    `strict`: refuse to grade (FastquizError) unless the isolation is full. `progress` is told how
    many submissions are graded, then each question's result as it comes."""
    from .grader.runner import GraderFault, IsolationUnavailable
    from .grader.protocol import Limits
    from .submissions import prepare
    from .workspace import answer_files, answer_key_paths

    scratch = Path(tempfile.mkdtemp(prefix="fastquiz-grade-"))  # 0700: workers can't look inside
    try:
        prepared = prepare(sources, scratch)
        ready = [s.workspace for s in prepared if s.workspace is not None]
        hide = (*answer_key_paths(), *([str(hidden)] if hidden else []), str(scratch),
                *filter(None, (_original(s.source) for s in prepared)), *(str(p.resolve()) for p in protect))
        limits = Limits(isolate=True, hide=hide, budget=budget, strict=strict)
        started = time.monotonic()
        try:
            names = [s.name for s in prepared if s.workspace is not None]

            def report(index: int, result: QuestionResult) -> None:
                if progress is not None:
                    progress(names[index], result)

            if progress is not None:
                progress.start(len(ready))
            reports = iter(executor(ready, questions, limits, report) if ready else [])
        except IsolationUnavailable as error:
            raise FastquizError(f"`fastquiz grade --isolation strict`: {error}") from None
        except GraderFault as error:
            raise GraderFailed(error) from None
        seconds = (time.monotonic() - started) / max(1, len(ready))
        answers = {s.name: {path.stem: text for path in answer_files(s.workspace) if (text := _answer_text(path))}
                   for s in prepared if s.workspace is not None}
    finally:
        tree.remove(str(scratch))
    rows = [Graded(s.name, next(reports) if s.workspace is not None else None, s.problem) for s in prepared]
    return Batch(rows, seconds, answers, {s.name: s.note for s in prepared if s.note and s.workspace is not None})


def _answer_text(path: Path) -> str:
    """An answer's code, for the class page's similar answers; "" for one too large to be an answer
    (graded as an error, and never read whole)."""
    from .grader.answers import StudentError, answer_bytes

    try:
        data = answer_bytes(path)
    except StudentError:
        return ""
    return "" if data is None else data.decode("utf-8", errors="replace")


def _original(source: Path) -> str | None:
    """Where a submission's own files are, for workers not to see; None if nowhere."""
    try:
        return str(source.resolve()) if source.exists() else None
    except (OSError, RuntimeError):  # a name too long, a loop of links: nothing there to read
        return None
