"""A pytest plugin that grades workspaces: checks here, student code in workers.

Mechanism: `grade()` (in `runner.py`) runs pytest over the selected check modules with
this plugin. The plugin

1. imports each check module by its package name (`fastquiz.grader.checks.q04_...`), so
   that the same modules load from a wheel or an editable install;
2. replaces pytest's run loop. The work is a queue of units, one question of one
   workspace each, the longest first. Up to `jobs` forked task processes each take a
   unit from the queue, grade it, send its result back as a JSON line, and take the
   next, so that all of them stay busy until the queue is empty. A workspace file that
   still equals its stub is `not_started` without running anything, and a file identical
   to one already queued for the same question is graded once;
3. grades a question by running its parts (its test functions) in order. The `student`
   fixture starts a fresh worker for each question (see `student.py`): the only process
   that runs student code, bounded by the question's time limit and the worker's
   resource limits;
4. classifies how each part ended, from the exception it raised: none is `passed`, an
   assertion in a check is `failed`, a stub's placeholder is `not_started`, an exception
   in the student's code is `error` with file:line, and a limit is `timeout` or `memory`.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import importlib
import importlib.util
import json
import math
import os
import random
import select
import signal
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pytest
import torch
from _pytest.runner import runtestprotocol
from hypothesis import given
from hypothesis import strategies as st

from .. import exercises
from . import checks
from .question import Question, question_of
from .results import ERROR, FAILED, MEMORY, NOT_STARTED, PASSED, TIMEOUT, PartResult, QuestionResult
from .student import (NotAttempted, Student, StudentError, StudentLimit, StudentOutOfMemory, StudentOutOfTime,
                      code_only, describe, libraries_for)
from .worker import Limits

CHECKS_DIR = Path(checks.__file__).parent
STUBS_DIR = Path(exercises.__file__).parent
SEED = 0
SLACK_SECONDS = 30  # beyond a question's time limit, for its checks' own work


@given(st.just(0))
def _warm_hypothesis(_: int) -> None:
    """Run once before any fork: hypothesis's first test sets up its random state with a full
    garbage collection, a tenth of a second in a process that has loaded torch, unless what
    is loaded so far is frozen out of the collector's reach while it runs."""


gc.freeze()
_warm_hypothesis()
gc.unfreeze()


class _CheckModule(pytest.Module):
    """A check module imported by its package name rather than by file path; an instructor's
    hidden checks (any other folder) by path, under a name of their own."""

    def _getobj(self):
        if self.path.parent == CHECKS_DIR:
            return importlib.import_module(f"{checks.__name__}.{self.path.stem}")
        spec = importlib.util.spec_from_file_location(f"fastquiz_hidden_checks.{self.path.stem}", self.path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


class _LoadFailed(Exception):
    """A limit or a placeholder (BaseExceptions, see `student.py`) met while loading the student's
    file, carried out of the `student` fixture as an Exception: pytest's fixtures handle only
    Exceptions, and a BaseException escaping one leaves it half set up, which fails every part
    of the next question graded in the same process. `_classify` reads the original."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


@dataclass
class _Unit:
    """One question of one workspace: its parts, graded one after another in a task."""

    workspace: int  # index into the plugin's workspaces
    items: list[pytest.Item]
    libraries: frozenset[str]  # slow imports its answer needs (see `student.libraries_for`)

    @property
    def question(self) -> Question:
        return question_of(self.items[0].module)


@dataclass
class _Task:
    """A forked process that grades the units it is handed, one at a time."""

    pid: int
    orders: int  # the parent writes the number of the next unit here, one per line
    results: int  # the task writes each unit's result here, one JSON line
    unit: int | None = None  # the unit it is grading
    deadline: float = math.inf
    buffer: bytes = b""
    loaded: frozenset[str] = frozenset()  # slow imports done in it, for the units it was handed


class GradingPlugin:
    def __init__(self, workspaces: list[Path], jobs: int, on_result: Callable[[int, QuestionResult], None],
                 limits: Limits | None, checks: list[Path]):
        self.workspaces, self.jobs, self.on_result = workspaces, max(1, jobs), on_result
        self.limits = limits or Limits()
        self.checks = set(checks)  # the check modules to collect
        self._current: tuple[Path, float] | None = None  # the workspace and time limit being graded
        self._copies: dict[tuple[int, str], list[int]] = {}  # (workspace, question id) -> same file elsewhere
        self._units: list[_Unit] = []
        self._queue: deque[int] = deque()  # numbers of the units not handed out yet
        self._running: dict[int, _Task] = {}  # by the descriptor of their results
        self._error: BaseException | None = None  # the first exception of the part being graded

    # -- collection ---------------------------------------------------------------------
    def pytest_ignore_collect(self, collection_path: Path) -> bool | None:
        """Collect only the selected check modules. pytest is given their folders: given the
        files, it would list the whole folder again for each one."""
        if collection_path.suffix == ".py" and not collection_path.name.startswith("_") \
                and collection_path not in self.checks:
            return True
        return None

    def pytest_pycollect_makemodule(self, module_path: Path, parent):
        return _CheckModule.from_parent(parent, path=module_path)

    # -- running --------------------------------------------------------------------------
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        groups: dict[str, list[pytest.Item]] = {}
        for item in session.items:
            groups.setdefault(item.path.stem, []).append(item)
        self._units = self._collect_units(list(groups.values()))
        self._queue = deque(sorted(range(len(self._units)), key=lambda i: -self._units[i].question.time_limit))
        running = self._running
        while self._queue or running:
            while self._queue and len(running) < self.jobs:
                task = self._fork()
                running[task.results] = task
                self._hand(task)
            wait = max(0.0, min(t.deadline for t in running.values()) - time.monotonic())
            ready, _, _ = select.select(list(running), [], [], wait)
            for fd in ready:
                task = running[fd]
                if not self._read(task):
                    self._finish(running.pop(fd), "ended unexpectedly")
                elif task.unit is None:
                    self._hand(task)
            for fd in [fd for fd, t in running.items() if time.monotonic() >= t.deadline]:
                self._finish(running.pop(fd), "ran past its question's time limit")
        return True

    def _collect_units(self, groups: list[list[pytest.Item]]) -> list[_Unit]:
        """The questions to grade: every workspace's, less those whose answer is still the stub
        (reported `not_started` here) and those whose file is identical to one already queued
        for the same question (grading is deterministic: seeded generators, derandomised
        hypothesis; the result is given to both)."""
        units, queued = [], {}
        for index, workspace in enumerate(self.workspaces):
            for items in groups:
                module = items[0].path.stem
                answer = workspace / f"{module}.py"
                data = answer.read_bytes() if answer.is_file() else None
                source = "" if data is None else data.decode("utf-8", errors="replace")
                if data is not None and code_only(source) == _stub_code(module):
                    self._report(index, _result_for_all(items, NOT_STARTED, "not answered yet"))
                    continue
                key = (module, "" if data is None else hashlib.sha256(data).hexdigest())
                if key in queued:
                    self._copies.setdefault((queued[key], question_of(items[0].module).id), []).append(index)
                    continue
                queued[key] = index
                units.append(_Unit(index, items, libraries_for(source)))
        return units

    def _fork(self) -> _Task:
        gc.freeze()  # the child's collections skip everything loaded so far (and its pages stay shared)
        orders_r, orders_w = os.pipe()
        results_r, results_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: grade, report, and never return into pytest
            status = 1
            try:
                os.close(orders_w)
                os.close(results_r)
                os.setpgid(0, 0)
                self._serve(orders_r, results_w)
                status = 0
            finally:
                os._exit(status)
        os.close(orders_r)
        os.close(results_w)
        try:
            os.setpgid(pid, pid)  # also here, so a kill can't race the child's own setpgid
        except OSError:
            pass
        return _Task(pid, orders_w, results_r)

    def _hand(self, task: _Task) -> None:
        """Give the task the next unit, or, when none is left, close its orders so that it ends."""
        if not self._queue:
            os.close(task.orders)
            task.deadline = time.monotonic() + SLACK_SECONDS
            return
        task.unit = self._next_unit(task)
        unit = self._units[task.unit]
        task.deadline = time.monotonic() + unit.question.time_limit + SLACK_SECONDS
        task.loaded |= unit.libraries
        try:
            os.write(task.orders, f"{task.unit}\n".encode())
        except BrokenPipeError:
            pass  # the task has died: the end of its results, read next, reports the unit

    def _next_unit(self, task: _Task) -> int:
        """The first unit in the queue, passing over those that need a slow import done in
        another task but not in this one, while there are others: each import then happens
        in as few tasks as can be."""
        elsewhere = frozenset().union(*(t.loaded for t in self._running.values() if t is not task)) - task.loaded
        for position, number in enumerate(self._queue):
            if not self._units[number].libraries & elsewhere:
                del self._queue[position]
                return number
        return self._queue.popleft()

    def _read(self, task: _Task) -> bool:
        """Pass on the result of the task's unit once it has come; False at end of file."""
        data = os.read(task.results, 1 << 16)
        task.buffer += data
        *lines, task.buffer = task.buffer.split(b"\n")
        for line in lines:
            self._report(self._units[task.unit].workspace, QuestionResult.from_dict(json.loads(line)))
            task.unit = None
        return bool(data)

    def _report(self, workspace: int, result: QuestionResult) -> None:
        for index in (workspace, *self._copies.get((workspace, result.id), [])):
            self.on_result(index, result)

    def _finish(self, task: _Task, how: str) -> None:
        """Reap the task's process group; a unit it did not report is an error."""
        try:
            os.killpg(task.pid, signal.SIGKILL)  # also ends anything the student's code started
        except (ProcessLookupError, PermissionError):
            pass
        _, wait_status = os.waitpid(task.pid, 0)
        os.close(task.results)
        if task.unit is not None:
            os.close(task.orders)
            message = f"the grader's process {how} ({_exit_reason(wait_status)})"
            unit = self._units[task.unit]
            self._report(unit.workspace, _result_for_all(unit.items, ERROR, message))

    def _serve(self, orders: int, results: int) -> None:
        """In a task: grade each unit the parent hands over, until it closes the orders."""
        torch.set_num_threads(1)  # see DEVELOPERS.md: a forked child's first parallel op hangs otherwise
        _silence_output()
        with os.fdopen(orders, "rb") as lines:
            for line in lines:
                result = self._grade(self._units[int(line)])
                os.write(results, (json.dumps(result.as_dict()) + "\n").encode())

    def _grade(self, unit: _Unit) -> QuestionResult:
        """Run a question's parts (its public parts, then any hidden ones) and classify each."""
        started, parts = self._start_question(unit), []
        for position, item in enumerate(unit.items):
            nextitem = unit.items[position + 1] if position + 1 < len(unit.items) else None
            self._error = None  # not on the item: a task grades the same items again for other workspaces
            item.user_properties.clear()  # the metrics it records (see `PartResult.metrics`)
            runtestprotocol(item, nextitem=nextitem, log=False)
            parts.append(self._classify(item, self._error))
        return QuestionResult(unit.question.id, unit.question.title, parts, round(time.monotonic() - started, 3))

    def _start_question(self, unit: _Unit) -> float:
        """Seed every generator, so a question's result never depends on what ran before it."""
        random.seed(SEED)
        np.random.seed(SEED)
        torch.manual_seed(SEED)
        self._current = (self.workspaces[unit.workspace], unit.question.time_limit)
        return time.monotonic()

    # -- outcomes -------------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if call.excinfo is not None and self._error is None:  # the first of setup, call and teardown
            self._error = call.excinfo.value
        return report

    def _classify(self, item: pytest.Item, error: BaseException | None) -> PartResult:
        """How the part ended, from the first exception it raised (None: it passed)."""
        points, hidden = item.function.fastquiz_points, getattr(item.function, "fastquiz_hidden", False)
        metrics = {str(name): float(value) for name, value in item.user_properties}
        if isinstance(error, _LoadFailed):
            error = error.error
        if error is None:
            return PartResult(item.name, PASSED, points, points, hidden=hidden, metrics=metrics)
        while isinstance(error, BaseExceptionGroup):  # e.g. hypothesis's FlakyFailure: judge what it holds
            error = error.exceptions[0]
        if isinstance(error, NotAttempted):
            status, message = NOT_STARTED, "not answered yet"
        elif isinstance(error, StudentOutOfTime):
            status, message = TIMEOUT, str(error)
        elif isinstance(error, StudentOutOfMemory):
            status, message = MEMORY, str(error)
        elif isinstance(error, StudentError):
            status, message = ERROR, str(error)
        elif isinstance(error, AssertionError):
            status, message = FAILED, describe(error).removeprefix("AssertionError: ") or f"{item.name} failed"
        else:
            status, message = ERROR, f"internal error in the check {item.name}: {describe(error)}"
        return PartResult(item.name, status, 0, points, message, hidden, metrics)

    # -- the seam -------------------------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[_PLUGIN] = self

    def load_student(self, module: str) -> Student:
        """The student's answer to the question being graded, in a fresh worker."""
        workspace, time_limit = self._current
        try:
            return Student.load(workspace / f"{module}.py", self.limits, time_limit)
        except (NotAttempted, StudentLimit) as error:
            raise _LoadFailed(error) from None


_PLUGIN = pytest.StashKey[GradingPlugin]()


@pytest.fixture(scope="module")
def student(request: pytest.FixtureRequest) -> Iterator[Student]:
    """The seam: the only way checks reach the student's code (this module is registered as a
    plugin beside the GradingPlugin, which it asks for the answer being graded)."""
    answer = request.config.stash[_PLUGIN].load_student(request.path.stem)
    yield answer
    answer.close()


def _result_for_all(items: list[pytest.Item], status: str, message: str) -> QuestionResult:
    """The same status for every part of a question (its hidden parts included)."""
    question = question_of(items[0].module)
    parts = [PartResult(i.name, status, 0, i.function.fastquiz_points, message, getattr(i.function, "fastquiz_hidden", False))
             for i in items]
    return QuestionResult(question.id, question.title, parts)


@functools.cache
def _stub_code(module: str) -> str | None:
    """The stub's code, parsed once however many workspaces are compared with it."""
    return code_only((STUBS_DIR / f"{module}.py").read_text(encoding="utf-8"))


def _silence_output() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _exit_reason(wait_status: int) -> str:
    if os.WIFSIGNALED(wait_status):
        return f"killed by {signal.Signals(os.WTERMSIG(wait_status)).name}"
    return f"exit status {os.WEXITSTATUS(wait_status)}"
