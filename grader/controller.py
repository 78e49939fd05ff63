"""The controller: which questions of which submission are graded next, and by which task.

Two halves. `plan` is a pure function of the answers read and the questions: it settles at once
the questions that need no running (a stub is `not_started`, a file too large to read is an
error), groups the others of each submission into *units* (questions one worker grades in turn:
those with the same import set, see `catalog.py`), and finds units whose files are all identical
to another's: those are *copies*, not queued. `Controller.run` keeps up to `jobs` tasks busy,
longest unit first, collects each question's result as it comes and hands a copy the first
one's result when it is clean (`protocol.SHAREABLE`); otherwise the copy's question is graded
on its own. It never runs a check or a student's code, and does not know how tasks or workers
start (`TaskPool`). A task that dies or hangs costs the questions it was grading, not the run.
"""
from __future__ import annotations

import ast
import functools
import hashlib
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

from .answers import StudentError, answer_bytes, libraries_for, same_code
from .catalog import STUBS_DIR, QuestionInfo
from .protocol import SHAREABLE, Fault, GraderFault, Limits, Order, Reported, Status
from .results import PartResult, QuestionResult

WALL_FACTOR = 3  # a question may take this many times its CPU limit in wall time, waiting included
SLACK_SECONDS = 30  # per question, beyond its answer's time limits: its checks' own work, a worker's start
BUSY_WAITS = (0.1, 0.5, 2.0)  # seconds between tries, when the system refuses a new task

Answer = bytes | None | StudentError  # an answer file's bytes, None when missing, or why it can't be read
Parts = dict[str, list[tuple[str, int, bool]]]  # question id -> its parts: (name, points, hidden)


@dataclass(frozen=True)
class Unit:
    workspace: int  # index into the run's workspaces
    folder: Path  # the workspace folder
    questions: tuple[QuestionInfo, ...]
    libraries: tuple[str, ...]  # slow imports its answers need (see `answers.libraries_for`)

    @property
    def time_limit(self) -> float:
        return sum(q.question.time_limit for q in self.questions)

    def order(self, number: int, budget: float | None) -> Order:
        return Order(number, self.workspace, str(self.folder), [q.module for q in self.questions],
                     list(self.libraries), budget)


@dataclass
class Plan:
    units: list[Unit] = field(default_factory=list)
    queue: list[int] = field(default_factory=list)  # units to grade, longest first
    copies: dict[int, list[int]] = field(default_factory=dict)  # unit -> units of the same files elsewhere
    settled: list[tuple[int, QuestionInfo, Status, str]] = field(default_factory=list)  # decided without running


def read_answers(workspaces: list[Path], questions: list[QuestionInfo]) -> list[dict[str, Answer]]:
    """Each workspace's answer files, by question module (never one read past its size cap)."""
    found: list[dict[str, Answer]] = []
    for workspace in workspaces:
        answers: dict[str, Answer] = {}
        for question in questions:
            try:
                answers[question.module] = answer_bytes(workspace / f"{question.module}.py")
            except StudentError as error:
                answers[question.module] = error
        found.append(answers)
    return found


def plan(workspaces: list[Path], answers: list[dict[str, Answer]], questions: list[QuestionInfo],
         shares: int, together: bool = False) -> Plan:
    """The units to grade (see the module's docstring). `shares`: how many units the questions of
    one import set of a submission are split into, to keep every task busy with few submissions.
    `together`: every question of a submission in one unit, whatever its import set (check mode
    where workers are spawned, each an import of torch: the student's own answers on the student's
    own machine)."""
    made = Plan()
    first: dict[tuple, int] = {}  # a unit's files (question and hash, in order) -> the first unit with them
    for index, (workspace, files) in enumerate(zip(workspaces, answers)):
        groups: dict[tuple, list[tuple[QuestionInfo, bytes | None]]] = {}
        for question in questions:
            data = files[question.module]
            if isinstance(data, StudentError):
                made.settled.append((index, question, Status.ERROR, str(data)))
            elif data is not None and _is_stub(data, question.module):
                made.settled.append((index, question, Status.NOT_STARTED, "not answered yet"))
            else:
                groups.setdefault(() if together else question.import_set, []).append((question, data))
        for group in groups.values():
            for share in filter(None, (group[i::shares] for i in range(shares))):
                number = len(made.units)
                made.units.append(Unit(index, workspace, tuple(q for q, _ in share), tuple(libraries_of(d for _, d in share))))
                key = tuple((q.module, data and hashlib.sha256(data).hexdigest()) for q, data in share)
                if key in first:
                    made.copies.setdefault(first[key], []).append(number)
                else:
                    first[key] = number
                    made.queue.append(number)
    made.queue.sort(key=lambda i: -made.units[i].time_limit)
    return made


def libraries_of(answers: Iterable[Answer]) -> list[str]:
    """The slow imports these answers use (see `answers.libraries_for`)."""
    sources = [data.decode("utf-8", errors="replace") for data in answers if isinstance(data, bytes)]
    return sorted({lib for source in sources for lib in libraries_for(source)})


@functools.lru_cache(maxsize=256)
def _is_stub(data: bytes, module: str) -> bool:
    """Whether an answer file holds its stub's code (`answers.same_code`), worked out once per file's
    bytes: a class holds many copies of one file."""
    return same_code(data.decode("utf-8", errors="replace"), _stub_tree(module))


@functools.cache
def _stub_tree(module: str) -> ast.Module:
    """The stub's syntax tree, parsed once however many workspaces are compared with it."""
    return ast.parse((STUBS_DIR / f"{module}.py").read_text(encoding="utf-8"))


# -- running the plan ----------------------------------------------------------------------------
class Task(Protocol):
    """A task as the controller sees it: orders in, results out (see `protocol.py`)."""

    connection: Connection  # what `multiprocessing.connection.wait` waits on

    def send(self, message: Any) -> None: ...

    def receive(self) -> Any:
        """The next message; None once the task is gone."""

    def end(self) -> str:
        """Stop the task; how it ended, in words."""


class TaskPool(Protocol):
    def start(self) -> Task:
        """A task ready for orders. OSError (EAGAIN) where the system refuses a new process."""

    def release(self, task: Task) -> None:
        """A task done with this run, idle: the pool ends it or keeps it for the next run."""


@dataclass
class _Running:
    task: Task
    unit: int | None = None
    reported: int = 0  # how many of its unit's questions it has reported
    deadline: float = float("inf")


class Controller:
    def __init__(self, made: Plan, parts: Parts, jobs: int, limits: Limits,
                 on_result: Callable[[int, QuestionResult], None]):
        self.plan, self.parts, self.jobs, self.limits, self.on_result = made, parts, max(1, jobs), limits, on_result
        self.queue = deque(made.queue)
        self.spent: dict[int, float] = {}  # seconds each workspace has used of its budget

    def run(self, pool: TaskPool) -> None:
        """Grade every unit; GraderFault when grading broke down (a task reported a fault)."""
        for workspace, question, status, message in self.plan.settled:
            self.on_result(workspace, self._all_parts(question, status, message))
        running: dict[Connection, _Running] = {}
        refused = 0
        try:
            while self.queue or any(r.unit is not None for r in running.values()):
                for idle in [r for r in running.values() if r.unit is None and self.queue]:
                    self._hand(idle)
                while self.queue and len(running) < self.jobs:
                    try:
                        started = _Running(pool.start())
                    except OSError:  # no process ids left: go on with fewer tasks, or wait for some
                        if running:
                            break
                        if refused == len(BUSY_WAITS):
                            raise GraderFault("the system refused the grader a new process: free some process ids "
                                              "and grade again") from None
                        time.sleep(BUSY_WAITS[refused])
                        refused += 1
                        continue
                    refused = 0
                    running[started.task.connection] = started
                    self._hand(started)
                soonest = min(r.deadline for r in running.values())
                timeout = None if soonest == float("inf") else max(0.0, soonest - time.monotonic())
                for connection in wait(list(running), timeout):
                    current = running[connection]  # type: ignore[index]
                    if not self._read(current):
                        self._finish(running.pop(connection), "ended unexpectedly")  # type: ignore[call-overload]
                for connection in [c for c, r in running.items() if time.monotonic() >= r.deadline]:
                    self._finish(running.pop(connection), "ran past its questions' time limits")
        finally:
            for current in running.values():
                if current.unit is None:
                    pool.release(current.task)
                else:
                    current.task.end()

    def _hand(self, current: _Running) -> None:
        if not self.queue:
            current.unit, current.deadline = None, float("inf")
            return
        current.unit, current.reported = self.queue.popleft(), 0
        unit = self.plan.units[current.unit]
        budget = None
        if self.limits.budget is not None:
            budget = max(0.0, self.limits.budget - self.spent.get(unit.workspace, 0.0))
        self._set_deadline(current)
        try:
            current.task.send(unit.order(current.unit, budget))
        except OSError:
            pass  # the task has died: the end of its results, read next, reports the unit

    def _read(self, current: _Running) -> bool:
        """Pass on what the task sent; False at the end of its connection."""
        message = current.task.receive()
        if message is None:
            return False
        if isinstance(message, Fault):
            raise GraderFault(message.message)
        if isinstance(message, Reported):
            self._report(message.unit, QuestionResult.from_dict(message.result))
            current.reported += 1
            if current.unit is not None and current.reported < len(self.plan.units[current.unit].questions):
                self._set_deadline(current)
            else:
                current.unit = None
        return True

    def _report(self, number: int, result: QuestionResult) -> None:
        """A question's result for the unit's workspace, and for the copies of the unit: shared when
        it is clean, else the copy's question is queued to be graded on its own."""
        unit = self.plan.units[number]
        self.on_result(unit.workspace, result)
        self.spent[unit.workspace] = self.spent.get(unit.workspace, 0.0) + result.seconds
        for copy in self.plan.copies.get(number, []):
            if result.status in SHAREABLE:
                self.on_result(self.plan.units[copy].workspace, result)
            else:
                alone = self.plan.units[copy]
                self.plan.units.append(Unit(alone.workspace, alone.folder,
                                            tuple(q for q in alone.questions if q.id == result.id), alone.libraries))
                self.queue.append(len(self.plan.units) - 1)

    def _set_deadline(self, current: _Running) -> None:
        """The task's backstop, restarted at each question it reports: the next question in the wall
        time its answer may take and some slack."""
        assert current.unit is not None
        question = self.plan.units[current.unit].questions[current.reported].question
        current.deadline = time.monotonic() + WALL_FACTOR * self.limits.time_limit(question) + SLACK_SECONDS

    def _finish(self, current: _Running, how: str) -> None:
        """End the task; the questions of its unit it did not report are errors."""
        ended = current.task.end()
        if current.unit is not None:
            message = f"the grader's process {how} ({ended})"
            for question in self.plan.units[current.unit].questions[current.reported:]:
                self._report(current.unit, self._all_parts(question, Status.ERROR, message))

    def _all_parts(self, question: QuestionInfo, status: Status, message: str) -> QuestionResult:
        """The same status for every part of a question (its hidden parts included)."""
        parts = [PartResult(name, status, 0, points, message, hidden)
                 for name, points, hidden in self.parts.get(question.id, [])]
        return QuestionResult(question.id, question.question.title, parts)

