"""The bank's own answers (model answers, mutants, alternatives) graded in this process, without a
sandbox or a worker process: for `scripts/build_mistakes.py` and the diagnosis's tests, which run
hundreds of them. Never for a student's code.

The checks get a real `Student`, whose worker is a thread of this process (`LoopbackWorker`) that
serves requests with the worker's own code (`worker._Server`): arguments go as pickles and come
back decoded, tensors changed in place are copied back, objects stay behind as `Remote`s, and
errors read as they do when grading. The thread keeps its own random state (torch's, numpy's,
Python's), swapped in whenever it takes a message and out whenever it sends one, as a worker
process has its own; and its own grad mode, as a thread does. The parts run as the plugin runs
them (the same seeds, the same hypothesis examples, the same verdicts); each part's calls to the
student's functions are noted in a `diagnosis.CallLog`.
"""
from __future__ import annotations

import ctypes
import importlib
import math
import queue
import random
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import torch

from fastquiz.grader import catalog, tree, worker
from fastquiz.grader.answers import NotAttempted, StudentError, StudentLimit
from fastquiz.grader.diagnosis import VALUE, Call, CallLog, of_failure
from fastquiz.grader.protocol import Limits, WorkerSettings
from fastquiz.grader.question import Question, question_of
from fastquiz.grader.replay import pin_seed
from fastquiz.grader.student import Student
from fastquiz.grader.verdict import Current, verdict
from fastquiz.grader.worker import SEED, seed_generators

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"


class _Stopped(BaseException):
    """Raised in the worker's thread to end a request that ran past its limit."""


class _RandomState:
    """The generators a process has (torch's, numpy's, Python's): saved and put back."""

    def __init__(self) -> None:
        self.save()

    def save(self) -> None:
        self.states = torch.get_rng_state(), np.random.get_state(), random.getstate()

    def restore(self) -> None:
        torch.set_rng_state(self.states[0])
        np.random.set_state(self.states[1])
        random.setstate(self.states[2])


class _TaskEnd:
    """The task's end of the loopback: what `Student` sends and reads."""

    def __init__(self, worker: "LoopbackWorker"):
        self.worker = worker

    def send(self, frame: bytes, deadline: float | None = None, buffers: Sequence[memoryview] = ()) -> None:
        self.worker.requests.put(bytes(frame))
        for buffer in buffers:
            self.worker.requests.put(bytes(buffer))

    def wait(self, timeout: float) -> bool:
        try:
            self.worker.pending = self.worker.replies.get(timeout=timeout)
        except queue.Empty:
            return self.worker.pending is not None
        return True

    def receive(self, deadline: float | None = None) -> bytes:
        if self.worker.pending is None:
            self.worker.pending = self.worker.replies.get()
        frame, self.worker.pending = self.worker.pending, None
        if frame is None:
            raise EOFError("the worker's thread ended")
        return frame

    def close(self) -> None:
        pass


class _WorkerEnd:
    """The worker thread's end: taking a message switches to the worker's random state, sending one back."""

    def __init__(self, worker: "LoopbackWorker"):
        self.worker = worker

    def receive(self) -> bytes:
        frame = self.worker.requests.get()
        if frame is None:
            raise EOFError
        self.worker.checks_random.save()
        self.worker.own_random.restore()
        return frame

    def receive_into(self, size: int) -> bytearray:
        """The rest of the message being taken (a request's arrays of bytes)."""
        frame = self.worker.requests.get()
        if frame is None:
            raise EOFError
        assert len(frame) == size, (len(frame), size)
        return bytearray(frame)

    def send(self, frame: bytes) -> None:
        self.worker.own_random.save()
        self.worker.checks_random.restore()
        self.worker.replies.put(frame)


class LoopbackWorker:
    """What `Student` needs of a `workers.WorkerProcess`, served by a thread of this process."""

    def __init__(self, module: str, source: str):
        info = catalog.questions([module])[0]
        self.folder = Path(tempfile.mkdtemp(prefix="fastquiz-in-process-"))
        for sub in ("answers", "work", "shared"):
            (self.folder / sub).mkdir()
        self.answer = self.folder / "answers" / f"{module}.py"
        self.answer.write_text(source)
        self.settings = WorkerSettings(folder=str(self.folder), answers={module: info.given}, loadable=info.loadable,
                                       rules=[], shared=str(self.folder / "shared"))
        self.limits = Limits()
        self.requests: queue.Queue[bytes | None] = queue.Queue()
        self.replies: queue.Queue[bytes | None] = queue.Queue()
        self.pending: bytes | None = None
        self.channel = _TaskEnd(self)
        self.checks_random, self.own_random = _RandomState(), _RandomState()
        self.busy = False
        self.thread = threading.Thread(target=self._serve, daemon=True, name=f"in-process {module}")
        self.thread.start()
        self.source = None

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def _serve(self) -> None:
        server = worker._Server(self.folder / "answers", _WorkerEnd(self))
        end = server.channel
        try:
            while True:
                frame = end.receive()
                self.busy = True
                try:
                    server.handle(frame)
                finally:
                    self.busy = False
        except (EOFError, _Stopped):
            pass
        finally:
            self.replies.put(None)

    def cpu(self) -> float | None:
        """The worker thread's CPU time (what a question's time limit counts)."""
        try:
            return time.clock_gettime(time.pthread_getcpuclockid(self.thread.ident or 0))
        except (OSError, AttributeError):
            return None

    def threads(self) -> int | None:
        return None

    def resident(self) -> int:
        return 0

    def work_usage(self, most_depth: int) -> tree.Usage:
        return tree.usage(str(self.folder / "work"), self.limits.scratch_files, most_depth)

    def stop(self, grace: float = 0.0) -> int | None:
        """End the thread: at once if it waits for a request, by an exception raised in it if it runs one."""
        if self.thread.is_alive():
            self.requests.put(None)
            if self.busy and self.thread.ident is not None:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.thread.ident), ctypes.py_object(_Stopped))
            self.thread.join(10)
        shutil.rmtree(self.folder, ignore_errors=True)
        return 0


@contextmanager
def loaded(module: str, source: str, question: Question) -> Iterator[tuple[Current, LoopbackWorker]]:
    """An answer's `Current` (its `Student`, or why it has none), with the worker's thread serving it."""
    seed_generators(SEED)  # as the task does before each question
    loop = LoopbackWorker(module, source)
    current = Current()
    try:
        student = Student(module, loop.answer, loop, question.time_limit)  # type: ignore[arg-type]
        student.deadline = math.inf  # the CPU limit holds; a wall-clock one would depend on how busy the machine is
        try:
            student.load()
            current.student = student
        except (NotAttempted, StudentLimit, StudentError) as error:
            current.refusal = error
        yield current, loop
    finally:
        loop.stop()


@dataclass
class PartRun:
    """How one part went for one answer, with the calls it made to the answer's functions."""

    name: str
    status: str
    message: str
    calls: list[Call] = field(default_factory=list)
    arguments: list[tuple[tuple, dict] | None] = field(default_factory=list)  # each call's, as made (when kept)
    diagnosis: str | None = None  # as grading gives it, from the table (`diagnosis.of_failure`)


def check_module(module: str):
    return importlib.import_module(f"fastquiz.grader.checks.{module}")


def run_question(module: str, source: str, keep_arguments: bool = False,
                 log: Callable[[str], CallLog | None] | None = None) -> list[PartRun]:
    """Run every part of question `module` against `source`, in order, as grading does; each part's
    verdict and the calls it made (every call that has a fingerprint, unless `log` gives each part's log)."""
    checks = check_module(module)
    question = question_of(checks)
    runs = []
    with loaded(module, source, question) as (current, _):
        for part in question.parts:
            test = getattr(checks, part.name)
            pin_seed(test)
            notes = log(part.name) if log else CallLog(keep_arguments=keep_arguments)
            error = _run_part(test, current, notes)
            result = verdict(part.name, part.points, False, error, current)
            calls = notes.calls if notes else []
            runs.append(PartRun(part.name, result.status, result.message, calls, notes.arguments if notes else [],
                                of_failure(module, part.name, error, calls)))
    return runs


def _run_part(test: Callable, current: Current, notes: CallLog | None) -> BaseException | None:
    """What the part raised (None: it passed), as the `student` fixture and pytest would see it."""
    if current.limit is not None or current.refusal is not None:
        return current.limit or current.refusal
    student = current.student
    assert student is not None
    student.metrics, student.notes = {}, notes
    try:
        test(student=student)
    except (KeyboardInterrupt, _Stopped):
        raise
    except BaseException as error:  # noqa: BLE001 (judged as the plugin judges it)
        return error
    finally:
        student.notes = None
    return None


def call_again(module: str, source: str, calls: list[tuple[str, tuple, dict]]) -> list[Any]:
    """Each call's output (in the table's form, None where it has none) from `source`'s functions, made
    in a fresh worker one after the other; the arguments are used as they are (give copies)."""
    question = question_of(check_module(module))
    outputs: list[Any] = []
    with loaded(module, source, question) as (current, _):
        student = current.student
        for function, args, kwargs in calls:
            notes = CallLog(functions=frozenset([function]))
            if student is not None and student.limit_hit is None:
                student.notes = notes
                try:
                    if function.startswith(VALUE):
                        student.value(function.removeprefix(VALUE))
                    else:
                        student.function(function)(*_rebind(args, student), **_rebind(kwargs, student))
                except (StudentError, NotAttempted, StudentLimit):
                    pass
                student.notes = None
            outputs.append(notes.calls[0].output if notes.calls else None)
    return outputs


def _rebind(value: Any, student: Student) -> Any:
    """Arguments with the student's functions among them (another answer's, see `Function.noted_as`)
    replaced by this answer's functions of the same names."""
    if callable(getattr(type(value), "noted_as", None)):
        return student.function(value.name)
    if type(value) in (list, tuple):
        return type(value)(_rebind(item, student) for item in value)
    if type(value) is dict:
        return {key: _rebind(item, student) for key, item in value.items()}
    return value
