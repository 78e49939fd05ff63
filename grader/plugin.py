"""A pytest plugin that grades one workspace, each question in a forked process of its own.

Mechanism: `grade()` (in `runner.py`) runs pytest over `grader/checks` with this plugin.
The plugin

1. imports the selected questions' check modules by their package name
   (`fastquiz.grader.checks.q04_...`), so that the same modules load from a wheel or an
   editable install;
2. replaces pytest's run loop: for each question it forks a child, which runs that
   question's tests (its "parts") and writes one JSON line per part to a pipe, then
   exits. The process that forks never runs student code. It reads the pipes of up to
   `jobs` children at once until each ends, or kills a child's whole process group when
   the question's time limit passes. A child that dies early (`os._exit`, a segfault)
   costs only its own question;
3. classifies how each part ended, from the exception it raised: none is `passed`, an
   assertion in a check is `failed`, a placeholder still in the stub (NotAttempted, or
   NotImplementedError raised by the student's file) is `not_started`, and anything
   raised by the student's code is `error` with file:line.

The `student` fixture is the only way checks reach student code (see `student.py`).
"""
from __future__ import annotations

import gc
import importlib
import json
import os
import random
import select
import signal
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pytest
import torch
from _pytest.runner import runtestprotocol
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure  # noqa: F401 (loaded once here, so each forked check starts warm)

from .. import exercises
from . import checks
from .question import Question, question_of
from .results import ERROR, FAILED, MEMORY, NOT_STARTED, PASSED, TIMEOUT, PartResult, QuestionResult
from .student import NotAttempted, Student, StudentError, StudentOutOfMemory, StudentOutOfTime, describe, same_code
from .worker import Limits

CHECKS_DIR = Path(checks.__file__).parent
STUBS_DIR = Path(exercises.__file__).parent
SEED = 0

# Randomised checks draw the same inputs on every run, and never write a database.
settings.register_profile(
    "fastquiz", max_examples=25, deadline=None, derandomize=True, database=None,
    report_multiple_bugs=False, suppress_health_check=list(HealthCheck), print_blob=False,
)


@given(st.just(0))
def _warm_hypothesis(_: int) -> None:
    """Run once before any fork: hypothesis's first test sets up its random state with a full
    garbage collection, which costs a third of a second in a process that has loaded torch."""


_warm_hypothesis()


class _CheckModule(pytest.Module):
    """A check module imported by its package name rather than by file path."""

    def _getobj(self):
        return importlib.import_module(f"{checks.__name__}.{self.path.stem}")


@dataclass
class _Child:
    question: Question
    pid: int
    fd: int
    deadline: float
    started: float
    buffer: bytes = b""
    parts: list[PartResult] = field(default_factory=list)


class GradingPlugin:
    def __init__(self, workspace: Path, modules: list[str], jobs: int, on_result: Callable[[QuestionResult], None],
                 limits: Limits | None = None):
        self.workspace, self.modules, self.jobs, self.on_result = workspace, modules, max(1, jobs), on_result
        self.limits = limits or Limits()

    def pytest_configure(self) -> None:
        settings.load_profile("fastquiz")

    # -- collection ---------------------------------------------------------------------
    def pytest_pycollect_makemodule(self, module_path: Path, parent):
        return _CheckModule.from_parent(parent, path=module_path)

    # -- running --------------------------------------------------------------------------
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        groups: dict[str, list[pytest.Item]] = {}
        for item in session.items:
            groups.setdefault(item.path.stem, []).append(item)
        pending = deque(groups[name] for name in self.modules if name in groups)
        running: dict[int, _Child] = {}
        while pending or running:
            while pending and len(running) < self.jobs:
                items = pending.popleft()
                if self._untouched(items[0].path.stem):
                    self._report_untouched(question_of(items[0].module))
                    continue
                child = self._fork(items)
                running[child.fd] = child
            if not running:
                break
            wait = max(0.0, min(c.deadline for c in running.values()) - time.monotonic())
            ready, _, _ = select.select(list(running), [], [], wait)
            for fd in ready:
                if not self._read(running[fd]):
                    self._finish(running.pop(fd), timed_out=False)
            for fd in [fd for fd, c in running.items() if time.monotonic() >= c.deadline]:
                self._finish(running.pop(fd), timed_out=True)
        return True

    def _untouched(self, module: str) -> bool:
        """The workspace's file is still the stub (docstrings, comments and EXPLAIN aside)."""
        mine, stub = self.workspace / f"{module}.py", STUBS_DIR / f"{module}.py"
        return mine.is_file() and same_code(mine.read_text(encoding="utf-8"), stub.read_text(encoding="utf-8"))

    def _report_untouched(self, question: Question) -> None:
        parts = [PartResult(p.name, NOT_STARTED, 0, p.points, "not answered yet") for p in question.parts]
        self.on_result(QuestionResult(question.id, question.title, parts))

    def _fork(self, items: list[pytest.Item]) -> _Child:
        question = question_of(items[0].module)
        gc.freeze()  # the child's collections skip everything loaded so far (and its pages stay shared)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run the parts, report, and never return into pytest
            status = 1
            try:
                os.close(read_fd)
                os.setpgid(0, 0)
                self._run_parts(items, write_fd)
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        try:
            os.setpgid(pid, pid)  # also here, so a kill can't race the child's own setpgid
        except OSError:
            pass
        now = time.monotonic()
        return _Child(question, pid, read_fd, now + question.time_limit, now)

    def _read(self, child: _Child) -> bool:
        """Take the parts the child has reported so far; False at end of file."""
        data = os.read(child.fd, 1 << 16)
        child.buffer += data
        *lines, child.buffer = child.buffer.split(b"\n")
        child.parts += [PartResult(**json.loads(line)) for line in lines]
        return bool(data)

    def _finish(self, child: _Child, timed_out: bool) -> None:
        try:
            os.killpg(child.pid, signal.SIGKILL)  # also ends anything the student's code started
        except (ProcessLookupError, PermissionError):
            pass
        _, wait_status = os.waitpid(child.pid, 0)
        os.close(child.fd)
        done = {p.name for p in child.parts}
        if timed_out:
            status, message = TIMEOUT, f"took longer than the {child.question.time_limit:g} s limit"
        else:
            status, message = ERROR, f"the exercise ended the grading process ({_exit_reason(wait_status)})"
        missing = [PartResult(p.name, status, 0, p.points, message) for p in child.question.parts if p.name not in done]
        seconds = time.monotonic() - child.started
        self.on_result(QuestionResult(child.question.id, child.question.title, child.parts + missing, round(seconds, 3)))

    def _run_parts(self, items: list[pytest.Item], write_fd: int) -> None:
        torch.set_num_threads(1)  # see DEVELOPERS.md: a forked child's first parallel op hangs otherwise
        random.seed(SEED)
        np.random.seed(SEED)
        torch.manual_seed(SEED)
        _silence_output()
        for i, item in enumerate(items):
            runtestprotocol(item, nextitem=items[i + 1] if i + 1 < len(items) else None, log=False)
            part = self._classify(item)
            os.write(write_fd, (json.dumps(asdict(part)) + "\n").encode())

    # -- outcomes -------------------------------------------------------------------------
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        if call.excinfo is not None and not hasattr(item, "fastquiz_error"):
            item.fastquiz_error = call.excinfo.value
        return report

    def _classify(self, item: pytest.Item) -> PartResult:
        points = item.function.fastquiz_points
        error: BaseException | None = getattr(item, "fastquiz_error", None)
        if error is None:
            return PartResult(item.name, PASSED, points, points)
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
        return PartResult(item.name, status, 0, points, message)

    # -- the seam -------------------------------------------------------------------------
    @pytest.fixture(scope="module")
    def student(self, request: pytest.FixtureRequest) -> Iterator[Student]:
        """The student's answer to the question whose checks are running, in its own worker."""
        student = Student.load(self.workspace / f"{request.path.stem}.py", self.limits)
        yield student
        student.close()


def _silence_output() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _exit_reason(wait_status: int) -> str:
    if os.WIFSIGNALED(wait_status):
        return f"killed by {signal.Signals(os.WTERMSIG(wait_status)).name}"
    return f"exit status {os.WEXITSTATUS(wait_status)}"
