"""A task: a process that runs the checks of the units its controller hands it, one at a time.

A unit is one question of one submission, or several questions of one submission that can
share a worker (see `catalog.CheckedQuestion.alone`). For each unit the task copies the
answers into a fresh scratch folder, asks the origin for a worker, and runs each question's
parts (plain check functions, hypothesis's `@given` included) with the `student` they take,
then classifies how each part ended. A worker that ran into a limit, raised, or grew is
replaced before the next question.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from multiprocessing.connection import Connection
from typing import Iterator

import numpy as np
import torch

from . import sandbox, system, tree
from .catalog import CheckedQuestion, Part, worker_rules
from .messages import WorkerSettings
from .origin import WorkerClient
from .results import ERROR, FAILED, MEMORY, NOT_STARTED, PASSED, TIMEOUT, PartResult, QuestionResult
from .student import (GraderFault, NotAttempted, NoWorker, Student, StudentError, StudentLimit, StudentOutOfMemory,
                      StudentOutOfTime, Worker, describe)
from .worker import Limits

SEED = 0
GROWTH_LIMIT = 256 << 20  # a shared worker that grew by this much over a question is replaced
CLEAN = (PASSED, FAILED, NOT_STARTED)


@dataclass
class Unit:
    """Questions of one workspace graded in one worker, one after another."""

    workspace: int  # index into the run's workspaces
    folder: Path  # the workspace folder
    questions: list[CheckedQuestion]
    libraries: list[str]  # slow imports its answers need (see `student.libraries_for`)
    together: bool = False  # its worker serves questions that would want one of their own (spawned, check mode)

    @property
    def time_limit(self) -> float:
        return sum(q.question.time_limit for q in self.questions)

    def order(self) -> dict:
        """The unit as the controller hands it to a task (see `messages.py`)."""
        return {"workspace": self.workspace, "folder": str(self.folder), "modules": [q.module for q in self.questions],
                "libraries": self.libraries, "together": self.together}

    @classmethod
    def from_order(cls, order: dict, checks: dict[str, CheckedQuestion]) -> "Unit":
        return cls(order["workspace"], Path(order["folder"]), [checks[m] for m in order["modules"]],
                   order["libraries"], order["together"])


def serve(checks: list[CheckedQuestion], connection: Connection, client: WorkerClient, limits: Limits, scratch: Path,
          environment: list[tuple[str, int]], quiet: bool = False) -> None:
    """In a task: grade each unit the controller orders, until it orders none (`null`) or goes.
    `quiet`: this process writes nothing to the terminal it may share with the controller."""
    if quiet:  # a process of its own (not the controller's thread)
        system.name_process("fastquiz-task")
    sandbox.one_thread()  # a forked child of a process that ran a parallel op hangs on its own first one otherwise
    if quiet:
        _silence_output()

    def send(message: dict) -> None:
        connection.send_bytes(json.dumps(message).encode())

    try:
        while (order := json.loads(connection.recv_bytes())) is not None:
            unit = Unit.from_order(order, {checked.module: checked for checked in checks})
            for result in grade_unit(unit, client, limits, scratch, environment, order.get("budget")):
                send({"unit": order["unit"], "result": result.as_dict()})
    except GraderFault as fault:
        send({"fault": str(fault)})
    except (EOFError, OSError):
        pass  # the controller is gone
    finally:
        client.close()
        connection.close()


def grade_unit(unit: Unit, client: WorkerClient, limits: Limits, scratch: Path, environment: list[tuple[str, int]],
               budget: float | None, png: bool = False) -> Iterator[QuestionResult]:
    """Each question's result, in order. `budget`: seconds left to the submission (None: no budget)."""
    ends = None if budget is None else (time.monotonic() + budget,
                                        f"the submission's {limits.budget:g} s grading budget (fastquiz grade --budget)")
    worker = None
    try:
        for checked in unit.questions:
            began = time.monotonic()
            if ends is not None and began >= ends[0]:
                yield _all_parts(checked, TIMEOUT, f"not run: nothing was left of {ends[1]}")
                continue
            if worker is None:
                try:
                    worker = start_worker(unit, client, limits, scratch, environment)
                except NoWorker as refused:
                    yield _all_parts(checked, ERROR, str(refused))
                    continue
            result, keep = grade_question(checked, unit.folder, worker, ends, png, unit.together)
            result.seconds = round(time.monotonic() - began, 3)  # a new worker's start counts against the budget
            yield result
            if not keep:
                worker.stop()
                worker = None
    finally:
        if worker is not None:
            worker.stop()


def start_worker(unit: Unit, client: WorkerClient, limits: Limits, scratch: Path,
                 environment: list[tuple[str, int]]) -> Worker:
    """A fresh worker with the unit's answers (copied: the worker can't read the workspace), whose
    Landlock rules are `environment` and the fastquiz modules its questions give or send."""
    folder = Path(tempfile.mkdtemp(prefix="worker-", dir=scratch))
    for sub in ("answers", "work", "shared"):
        (folder / sub).mkdir(mode=0o700)
    for checked in unit.questions:
        shutil.copyfile(unit.folder / f"{checked.module}.py", folder / "answers" / f"{checked.module}.py")
    loadable = sorted({m for q in unit.questions for m in q.loadable})
    settings = WorkerSettings(
        folder=str(folder), answers={q.module: q.given for q in unit.questions}, loadable=loadable,
        rules=environment + worker_rules(tuple(loadable)), libraries=unit.libraries,
        memory_mb=limits.memory_mb, cpu_seconds=limits.cpu_seconds, file_mb=limits.file_mb)
    try:
        return Worker(client, settings, limits)
    except (GraderFault, NoWorker):
        tree.remove(str(folder))
        raise


def grade_question(checked: CheckedQuestion, workspace: Path, worker: Worker, ends: tuple[float, str] | None,
                   png: bool = False, together: bool = False) -> tuple[QuestionResult, bool]:
    """Run a question's parts (its public parts, then any hidden ones) and classify each; also
    whether the worker may serve the next question."""
    _seed()
    started, parts, student = time.monotonic(), [], None
    growth_start = worker.resident()
    try:
        student = Student(checked.module, workspace / f"{checked.module}.py", worker, checked.question.time_limit,
                          ends, png)
        student.load()
    except (NotAttempted, StudentLimit, StudentError) as error:
        parts = [_classify(part, error) for part in checked.parts]
    else:
        for part in checked.parts:
            if student.limit_hit is not None:
                parts.append(_after_limit(part, parts, student.limit_hit))
                continue
            student.metrics = {}
            parts.append(_classify(part, _run(part, student)))
            parts[-1].metrics = student.metrics
        _forget(student)
    result = QuestionResult(checked.id, checked.question.title, parts, round(time.monotonic() - started, 3))
    keep = (worker.running and (together or not checked.alone) and result.status in CLEAN
            and worker.resident() - growth_start < GROWTH_LIMIT)
    return result, keep


def _run(part: Part, student: Student) -> BaseException | None:
    """Run one part; the first exception it raised, or None when it passed."""
    try:
        part.test(student=student)
    except KeyboardInterrupt:
        raise
    except BaseException as error:  # noqa: BLE001 (how the part ended is what grading is about)
        return error
    return None


def _forget(student: Student) -> None:
    """Tell a worker that may serve the next question to drop this one's objects."""
    if student.worker.running:
        try:
            student._request("forget", None)
        except (StudentError, StudentLimit, NotAttempted):
            pass


def _classify(part: Part, error: BaseException | None) -> PartResult:
    """How the part ended, from the first exception it raised (None: it passed)."""
    if error is None:
        return PartResult(part.name, PASSED, part.points, part.points, hidden=part.hidden)
    while isinstance(error, BaseExceptionGroup):  # e.g. hypothesis's FlakyFailure: judge what it holds
        error = error.exceptions[0]
    if isinstance(error, NotAttempted):
        status, message = NOT_STARTED, "not answered yet"
    elif isinstance(error, StudentOutOfTime):
        status, message = TIMEOUT, f"{part.name} {error}"
    elif isinstance(error, StudentOutOfMemory):
        status, message = MEMORY, str(error)
    elif isinstance(error, StudentLimit):
        status, message = ERROR, str(error)
    elif isinstance(error, GraderFault):
        raise error
    elif isinstance(error, StudentError):
        status, message = ERROR, str(error)
    elif isinstance(error, AssertionError):
        status, message = FAILED, describe(error).removeprefix("AssertionError: ") or f"{part.name} failed"
    else:
        status, message = ERROR, f"internal error in the check {part.name}: {describe(error)}"
    return PartResult(part.name, status, 0, part.points, message, part.hidden)


def _after_limit(part: Part, done: list[PartResult], limit: StudentLimit) -> PartResult:
    """A part left unrun because an earlier one used up the question's limit."""
    culprit = next(p.name for p in done if p.status in (TIMEOUT, MEMORY, ERROR))
    status = TIMEOUT if isinstance(limit, StudentOutOfTime) else MEMORY if isinstance(limit, StudentOutOfMemory) \
        else ERROR
    return PartResult(part.name, status, 0, part.points, f"not run: {culprit} used up the question's limit",
                      part.hidden)


def _all_parts(checked: CheckedQuestion, status: str, message: str) -> QuestionResult:
    parts = [PartResult(p.name, status, 0, p.points, message, p.hidden) for p in checked.parts]
    return QuestionResult(checked.id, checked.question.title, parts)


def _seed() -> None:
    """Seed every generator, so a question's result never depends on what ran before it."""
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)


def _silence_output() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)

