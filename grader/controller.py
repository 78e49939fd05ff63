"""The controller: which question of which submission is graded next, by which task.

It starts (or reuses) the worker origin before it loads a single check, tries the sandbox
once (`Origin.preflight`), then plans the work as units (questions of one workspace that
one worker grades in turn, see `task.py`), longest first, and keeps up to `jobs` task
processes busy with them until none is left. It never runs a check or a student's code
itself. A task that dies or hangs costs the questions it was grading, not the run; a
grader fault (a broken environment, a broken check) stops the run.
"""
from __future__ import annotations

import errno
import functools
import gc
import hashlib
import json
import math
import multiprocessing.connection
from multiprocessing.connection import Connection
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, cast

import hypothesis.configuration
from hypothesis import given
from hypothesis import strategies as st

from .. import exercises
from . import catalog, sandbox, system, tasks, tree
from .catalog import CheckedQuestion
from .messages import WorkerSettings
from .origin import OriginError, WorkerOrigin, origin_for
from .results import ERROR, FAILED, NOT_STARTED, PASSED, PartResult, QuestionResult
from .sandbox import Isolation
from .student import BUSY_WAITS, WALL_FACTOR, StudentError, answer_bytes, code_only, libraries_for
from .task import Unit
from .worker import Limits

STUBS_DIR = Path(exercises.__file__).parent
SHAREABLE = (PASSED, FAILED, NOT_STARTED)  # results that one submission's answer can't have caused for another
SLACK_SECONDS = 30  # per question, beyond its answer's time limits: its checks' own work, a worker's start


class GraderError(Exception):
    """The grader itself failed (not the student's code)."""


class IsolationUnavailable(Exception):
    """Full isolation was asked for (`Limits.strict`) where this machine can't give it."""


@dataclass
class _Task:
    """A task (see `tasks.py`) and the unit it is grading."""

    handle: tasks.Task
    unit: int | None = None  # the unit it is grading
    reported: int = 0  # how many of that unit's questions it has reported
    deadline: float = math.inf
    loaded: frozenset[str] = frozenset()  # slow imports done for the units it was handed


@dataclass
class Run:
    """One grading run: its workspaces, checks and limits, and what has been learnt so far."""

    workspaces: list[Path]
    checks: list[CheckedQuestion]
    hidden: Path | None
    jobs: int
    limits: Limits
    origin: WorkerOrigin
    scratch: Path
    on_result: Callable[[int, QuestionResult], None]
    environment: list[tuple[str, int]]  # Landlock rules for the Python environment, without what must stay hidden
    units: list[Unit] = field(default_factory=list)
    queue: deque[int] = field(default_factory=deque)  # units to hand out, longest first
    copies: dict[int, list[int]] = field(default_factory=dict)  # unit -> units of the same files elsewhere, not queued
    spent: dict[int, float] = field(default_factory=dict)  # seconds each workspace has used of its budget

    def report(self, unit: int, result: QuestionResult) -> None:
        """A question's result for the unit's workspace, and for the copies of the unit: shared when it
        is clean, else the copy's question is queued to be graded on its own (a timeout, an error or
        a budget cut may come of the first submitter's worker or budget: never handed to another)."""
        first = self.units[unit]
        self.on_result(first.workspace, result)
        self.spent[first.workspace] = self.spent.get(first.workspace, 0.0) + result.seconds
        for copy in self.copies.get(unit, []):
            if result.status in SHAREABLE:
                self.on_result(self.units[copy].workspace, result)
            else:
                self.queue.append(len(self.units))
                self.units.append(replace(self.units[copy], questions=[q for q in self.units[copy].questions
                                                                       if q.id == result.id]))


def grade(workspaces: list[Path], modules: list[str], jobs: int, limits: Limits, hidden: Path | None,
          on_result: Callable[[int, QuestionResult], None]) -> Isolation:
    """Grade every module's question of every workspace, calling `on_result(workspace index, result)`
    as each comes in; what isolation was in force. GraderError if grading broke down."""
    try:
        origin = origin_for(limits.isolate)  # before any check is loaded: workers come from here
    except OriginError as error:
        raise GraderError(str(error)) from None
    scratch = Path(tempfile.mkdtemp(prefix="fastquiz-run-"))  # 0700: other users can't look inside
    home = getattr(hypothesis.configuration, "__hypothesis_home_directory", None)
    hypothesis.configuration.set_hypothesis_home_dir(str(scratch / ".hypothesis"))  # not the user's current folder
    try:
        environment = sandbox.worker_environment(list(limits.hide))
        isolation = _preflight(origin, scratch, limits, environment)
        if limits.strict:
            require_full(isolation)
        checks = catalog.load(modules, STUBS_DIR, hidden)
        catalog.warm_up(checks)
        _warm_hypothesis()
        run = Run(workspaces, checks, hidden, max(1, jobs), limits, origin, scratch, on_result, environment)
        _plan(run)
        _loop(run)
    finally:
        hypothesis.configuration.set_hypothesis_home_dir(home)
        tree.remove(str(scratch))
    return isolation


def require_full(isolation: Isolation) -> None:
    """IsolationUnavailable unless the isolation is full."""
    if not isolation.full:
        raise IsolationUnavailable(f"full isolation is not available here ({isolation}): grade on Linux 5.13+ with "
                                   "Landlock and seccomp (x86_64 or aarch64), or leave out --isolation strict")


def isolation(limits: Limits) -> Isolation:
    """The isolation that grading with these limits would have (the origin is kept for the run)."""
    scratch = Path(tempfile.mkdtemp(prefix="fastquiz-probe-"))
    try:
        return _preflight(origin_for(limits.isolate), scratch, limits, sandbox.worker_environment(list(limits.hide)))
    except OriginError as error:
        raise GraderError(str(error)) from None
    finally:
        tree.remove(str(scratch))


def _preflight(origin: WorkerOrigin, scratch: Path, limits: Limits, environment: list[tuple[str, int]]) -> Isolation:
    """Try the sandbox once, in a trial worker confined as every worker is: what isolation is in
    force; GraderError where a worker can't read what the grader's Python needs."""
    folder = scratch / "preflight"
    folder.mkdir(exist_ok=True)
    settings = WorkerSettings(folder=str(folder), answers={}, loadable=[], rules=environment,
                              memory_mb=limits.memory_mb, cpu_seconds=limits.cpu_seconds, file_mb=limits.file_mb)
    try:
        found = origin.trial(sandbox.trial(settings, sandbox.package_folders() + list(limits.hide)))
    except OriginError as error:
        raise GraderError(str(error)) from None
    if found.unreadable:
        raise GraderError(f"the sandbox can't read {found.unreadable[0]} (and {len(found.unreadable) - 1} more), "
                          "which the grader's Python needs: make the Python environment readable to the user "
                          "that grades")
    isolation = Isolation.from_dict(found.isolation)
    exposed = tuple(f"the student's code can read {path}" for path in found.exposed)
    return Isolation(isolation.landlock, isolation.seccomp, isolation.missing + exposed)


@given(st.integers())
def _warm_hypothesis_once(_: int) -> None:
    """hypothesis's first test sets up its random state with a full garbage collection, and its
    first draw of a number collects constants from the source of the modules it deems local."""


def _warm_hypothesis() -> None:
    """Run hypothesis once before forking tasks, with what is loaded so far frozen out of the
    collector's reach: every task then starts with that work done."""
    gc.freeze()
    _warm_hypothesis_once()
    gc.unfreeze()


def _plan(run: Run) -> None:
    """The units to grade: every workspace's questions, less those whose answer is still the stub
    (reported `not_started` here) or too large to read (an error). A question that must be alone
    gets a unit of its own; the others of a workspace share as few units as keep the tasks busy.
    Where workers are spawned (an import of torch each), check mode lets every question of a
    workspace share one unit, and so one task and one worker: a worker is replaced only when an
    answer kills or poisons it (see `task.grade_question`). A unit whose files are all identical
    to those of a unit queued already is not queued: it is a copy, given the first one's clean
    results (grading is deterministic, and the first one's worker ran nothing but those files)."""
    queued: dict[tuple, int] = {}  # the files of a unit (question and hash, in order) -> the unit
    together = system.start_method() == "spawn" and not run.limits.isolate
    shares = 1 if together else max(1, run.jobs // len(run.workspaces))
    for index, workspace in enumerate(run.workspaces):
        alone: list[tuple[CheckedQuestion, bytes | None]] = []
        shared: list[tuple[CheckedQuestion, bytes | None]] = []
        for checked in run.checks:
            try:
                data = answer_bytes(workspace / f"{checked.module}.py")  # its size first: a huge file is never read
            except StudentError as error:
                run.on_result(index, _result_for_all(checked, ERROR, str(error)))
                continue
            if data is not None and _code(data) == _stub_code(checked.module):
                run.on_result(index, _result_for_all(checked, NOT_STARTED, "not answered yet"))
                continue
            (alone if (checked.alone and not together) or data is None else shared).append((checked, data))
        for group in [[q] for q in alone] + [shared[i::shares] for i in range(shares) if shared[i::shares]]:
            sources = [data.decode("utf-8", errors="replace") for _, data in group if data is not None]
            libraries = sorted({lib for source in sources for lib in libraries_for(source)})
            unit = len(run.units)
            run.units.append(Unit(index, workspace, [checked for checked, _ in group], libraries, together))
            files = tuple((checked.module, data and hashlib.sha256(data).hexdigest()) for checked, data in group)
            if files in queued:
                run.copies.setdefault(queued[files], []).append(unit)
            else:
                queued[files] = unit
                run.queue.append(unit)
    run.queue = deque(sorted(run.queue, key=lambda i: -run.units[i].time_limit))


def _loop(run: Run) -> None:
    """Keep up to `jobs` tasks busy, longest unit first, until every unit is graded."""
    queue = run.queue
    running: dict[Connection, _Task] = {}  # by the controller's end of their connection
    refused = 0  # tries in a row at starting a task that the system refused
    try:
        while queue or running:
            while queue and len(running) < run.jobs:
                try:
                    task = _Task(tasks.start(run, first=not running))
                except OSError as error:
                    if error.errno not in (errno.EAGAIN, errno.ENOMEM):
                        raise
                    if running:  # no process ids left: go on with fewer tasks, or wait for some
                        break
                    if refused == len(BUSY_WAITS):
                        raise GraderError(f"the system refused the grader a new process ({error.strerror}): "
                                          "free some process ids and grade again") from None
                    time.sleep(BUSY_WAITS[refused])
                    refused += 1
                    continue
                refused = 0
                running[task.handle.connection] = task
                _hand(run, task, queue, running)
            wait = max(0.0, min(t.deadline for t in running.values()) - time.monotonic())
            for ready in multiprocessing.connection.wait(list(running), wait):
                connection = cast(Connection, ready)
                task = running[connection]
                if not _read(run, task):
                    _finish(run, running.pop(connection), "ended unexpectedly")
                elif task.unit is None:
                    _hand(run, task, queue, running)
            for connection in [c for c, t in running.items() if time.monotonic() >= t.deadline]:
                _finish(run, running.pop(connection), "ran past its questions' time limits")
    finally:
        for task in running.values():
            task.handle.end()


def _hand(run: Run, task: _Task, queue: deque[int], running: dict[Connection, _Task]) -> None:
    """Give the task the next unit, or, when none is left, tell it that there is none."""
    if not queue:
        _order(task, None)
        task.deadline = time.monotonic() + SLACK_SECONDS
        return
    task.unit, task.reported = _next_unit(run, task, queue, running), 0
    unit = run.units[task.unit]
    _set_deadline(task, unit)
    task.loaded |= frozenset(unit.libraries)
    budget = None
    if run.limits.budget is not None:
        budget = max(0.0, run.limits.budget - run.spent.get(unit.workspace, 0.0))
    _order(task, {"unit": task.unit, **unit.order(), "budget": budget})


def _order(task: _Task, order: dict | None) -> None:
    try:
        task.handle.connection.send_bytes(json.dumps(order).encode())
    except OSError:
        pass  # the task has died: the end of its results, read next, reports the unit


def _next_unit(run: Run, task: _Task, queue: deque[int], running: dict[Connection, _Task]) -> int:
    """The first unit in the queue, passing over those that need a slow import done in another
    task but not in this one, while there are others: each import then happens in as few
    tasks as can be."""
    elsewhere = frozenset().union(*(t.loaded for t in running.values() if t is not task)) - task.loaded
    for position, number in enumerate(queue):
        if not set(run.units[number].libraries) & elsewhere:
            del queue[position]
            return number
    return queue.popleft()


def _read(run: Run, task: _Task) -> bool:
    """Pass on the result the task has sent; False at the end of its connection."""
    try:
        message = json.loads(task.handle.connection.recv_bytes())
    except (EOFError, OSError):
        return False
    if "fault" in message:
        raise GraderError(message["fault"])
    unit = run.units[message["unit"]]
    run.report(message["unit"], QuestionResult.from_dict(message["result"]))
    task.reported += 1
    if task.reported == len(unit.questions):
        task.unit = None
    else:
        _set_deadline(task, unit)
    return True


def _set_deadline(task: _Task, unit: Unit) -> None:
    """The task's backstop, restarted at each question it reports: the next question in the wall
    time its answer may take (see `student.WALL_FACTOR`) and some slack."""
    question = unit.questions[task.reported].question
    task.deadline = time.monotonic() + WALL_FACTOR * question.time_limit + SLACK_SECONDS


def _finish(run: Run, task: _Task, how: str) -> None:
    """End the task; the questions of its unit it did not report are errors."""
    code = task.handle.end()
    if task.unit is not None:
        message = f"the grader's process {how} ({system.exit_reason(code)})"
        for checked in run.units[task.unit].questions[task.reported:]:
            run.report(task.unit, _result_for_all(checked, ERROR, message))


def _result_for_all(checked: CheckedQuestion, status: str, message: str) -> QuestionResult:
    """The same status for every part of a question (its hidden parts included)."""
    parts = [PartResult(p.name, status, 0, p.points, message, p.hidden) for p in checked.parts]
    return QuestionResult(checked.id, checked.question.title, parts)


def _code(data: bytes) -> str | None:
    return code_only(data.decode("utf-8", errors="replace"))


@functools.cache
def _stub_code(module: str) -> str | None:
    """The stub's code, parsed once however many workspaces are compared with it."""
    return code_only((STUBS_DIR / f"{module}.py").read_text(encoding="utf-8"))
