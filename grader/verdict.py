"""How a part ended, from the exception it raised: a status, the points, and a message in the
student's terms (never a check's internal name, never pytest's account of an assertion's operands).

| raised | status | message |
| --- | --- | --- |
| nothing | passed | |
| NotAttempted (a stub's placeholder) | not_started | not answered yet |
| an `assert` of the check | failed | the assert's own message |
| StudentError (the answer raised, does not load...) | error | what went wrong, with file:line |
| StudentOutOfTime / StudentOutOfMemory | timeout / memory | the limit |
| a part after one that used up the question's limit | that limit's status | not run: ... |
| anything else in a check | error | an internal error of the check (reported, never the student's fault) |
| GraderFault | (stops the task: the grader broke) | |
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .answers import NotAttempted, StudentError, StudentLimit, StudentOutOfMemory, StudentOutOfTime, describe
from .protocol import GraderFault, Status
from .results import PartResult

if TYPE_CHECKING:
    from .student import Student

REWRITTEN = "\nassert "  # where pytest's account of an assertion starts, in a rewritten module's message


@dataclass
class Current:
    """The answer the parts being run are graded on."""

    student: "Student | None" = None
    refusal: BaseException | None = None  # what every part raises instead (a load error, a question not run)
    limit: BaseException | None = None  # the limit an earlier part ran into: the later ones are not run
    culprit: str = ""


def verdict(name: str, points: int, hidden: bool, error: BaseException | None, current: Current) -> PartResult:
    """The part `name`'s result, given the first exception its setup or call raised (None: it passed)."""
    while isinstance(error, BaseExceptionGroup):  # e.g. hypothesis's FlakyFailure: judge what it holds
        error = error.exceptions[0]
    status, message = _judge(name, error)
    if isinstance(error, StudentLimit) and current.limit is None and current.student is not None:
        current.limit, current.culprit = error, name
    if current.limit is not None and error is current.limit and current.culprit != name:
        status, message = _status_of(current.limit), f"not run: {_words(current.culprit)} used up the question's limit"
    return PartResult(name, status, points if status == Status.PASSED else 0, points, message, hidden)


def _judge(name: str, error: BaseException | None) -> tuple[Status, str]:
    if error is None:
        return Status.PASSED, ""
    if isinstance(error, NotAttempted):
        return Status.NOT_STARTED, _first_line(error) or "not answered yet"
    if isinstance(error, StudentLimit):
        return _status_of(error), str(error)
    if isinstance(error, (StudentError, GraderFault)):  # a grader fault stops the task (see `plugin.run_question`)
        return Status.ERROR, str(error)
    if isinstance(error, AssertionError):
        return Status.FAILED, own_message(error) or f"{_words(name)}: not as expected"
    return Status.ERROR, f"internal error in the check {_words(name)}: {describe(error)}"


def _status_of(limit: BaseException) -> Status:
    if isinstance(limit, StudentOutOfTime):
        return Status.TIMEOUT
    if isinstance(limit, StudentOutOfMemory):
        return Status.MEMORY
    return Status.ERROR


def own_message(error: AssertionError) -> str:
    """An assertion's own message, without what pytest's rewriting adds (the operands, which may
    hold a key); empty where the check gave none."""
    text = str(error)
    if text.startswith("assert "):
        return ""
    return text.split(REWRITTEN, 1)[0].strip()


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else ""


def _words(part_name: str) -> str:
    """A part's test name as words: `test_counts_the_pngs` is "counts the pngs"."""
    return part_name.removeprefix("test_").replace("_", " ")
