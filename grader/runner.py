"""Grade workspaces: the grader's one entry point.

    report = grade(Path("my-answers"))                        # check mode: what `fastquiz check` does
    reports = grade_many(folders, limits=Limits(isolate=True))  # grade mode: what `fastquiz grade` does
    with Engine(modules, Limits()) as engine: ...               # a warm engine, many gradings (the notebook)

The work happens in other processes (see PROCESSES.md): the caller's process plans it and
collects the results (`controller.py`), and imports neither torch nor a check.
"""
from __future__ import annotations

import atexit
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable, Iterator

from . import catalog, launch, protocol, sandbox, system, tree
from .controller import Answer, Controller, libraries_of, plan, read_answers
from .launch import SPAWN
from .protocol import (DATA_VARIABLE, Fault, Fork, GraderFault, IsolationUnavailable, Limits, Ready, RunConfig, Started,
                       WorkersUnavailable)
from .question import module_names, resolve
from .results import GradeReport, QuestionResult
from .sandbox import Isolation

__all__ = ["Engine", "GraderFault", "IsolationUnavailable", "Limits", "answer", "grade", "grade_many", "isolation",
           "require_full", "worker_factory"]

START_SECONDS = 180  # a task's start: a fresh interpreter importing torch, then pytest collecting the checks


def grade(workspace: Path, questions: list[str] | None = None, jobs: int | None = None,
          limits: Limits | None = None, hidden: Path | None = None,
          on_result: Callable[[int, QuestionResult], None] | None = None, data: Path | None = None) -> GradeReport:
    """Grade the named questions (all when None) of one workspace folder.

    Raises KeyError for an id that names no question, GraderFault if grading broke down."""
    return grade_many([workspace], questions, jobs, limits, hidden, on_result, data)[0]


def grade_many(workspaces: list[Path], questions: list[str] | None = None, jobs: int | None = None,
               limits: Limits | None = None, hidden: Path | None = None,
               on_result: Callable[[int, QuestionResult], None] | None = None,
               data: Path | None = None, on_ready: Callable[[Isolation], None] | None = None) -> list[GradeReport]:
    """Grade several workspaces with the same questions, up to `jobs` tasks at once; `hidden`, a
    folder of an instructor's hidden checks; `on_result(workspace index, result)` is called here as
    each question's result comes in; `data`, the full MNIST folder to judge r2 on (default: the one
    `datasets.grading_data` names in this process's environment, else what `fastquiz check` would use);
    `on_ready(isolation)` is called once the isolation in force is known, before any grading."""
    chosen = os.environ.get(DATA_VARIABLE)
    modules = resolve(questions or [])
    answers = read_answers([Path(w).resolve() for w in workspaces], catalog.questions(modules))
    with Engine(modules, limits or Limits(), hidden, jobs or os.cpu_count() or 1, data or (Path(chosen) if chosen else None),
                record=len(workspaces) > 1, libraries=libraries_of(a for files in answers for a in files.values())) as engine:
        if on_ready is not None:
            on_ready(engine.isolation)
        return engine.grade(workspaces, on_result, answers=answers)


def isolation(limits: Limits) -> Isolation:
    """The isolation that grading with these limits would have (a trial worker's finding)."""
    with Engine([], limits, jobs=1) as engine:
        return engine.isolation


def require_full(found: Isolation) -> None:
    """IsolationUnavailable unless the isolation is full."""
    if not found.full:
        raise IsolationUnavailable(f"full isolation is not available here ({found}): grade on Linux 5.13+ with "
                                   "Landlock and seccomp (x86_64 or aarch64)")


class Engine:
    """A run's tasks, started once (collection, recorded examples, the sandbox's trial) and kept
    for as many gradings as the caller asks of it."""

    def __init__(self, modules: list[str], limits: Limits, hidden: Path | None = None, jobs: int = 1,
                 data: Path | None = None, record: bool = True, libraries: list[str] | None = None):
        """`record`: draw the randomised parts' examples before grading (worth it for more than one
        submission, or an engine kept for many gradings; see `replay.py`); `libraries`: slow imports
        the answers will need, started at once (see `answers.libraries_for`)."""
        self.modules, self.limits, self.jobs = modules, limits, max(1, jobs)
        self.scratch = Path(tempfile.mkdtemp(prefix="fastquiz-run-"))  # 0700: other users can't look inside
        environment = sandbox.worker_environment(list(limits.hide))
        self.config = RunConfig(modules, str(Path(hidden).resolve()) if hidden else None, limits, str(self.scratch),
                                environment, record, self.jobs, str(Path(data).resolve()) if data else None,
                                libraries or [], _examples_folder(), catalog.describe(catalog.questions(modules)))
        self.pool: _Pool | None = None
        try:
            if system.start_method() == "fork":
                first, ready = _first_task(self.config)
                self.pool = _ForkPool(first)
            else:
                first, ready = _start_task(self.config)
                self.pool = _SpawnPool(first, self.config)
            self.isolation, self.parts = _isolation(ready, limits), ready.parts
        except BaseException:
            self.close()
            raise

    def grade(self, workspaces: list[Path], on_result: Callable[[int, QuestionResult], None] | None = None,
              modules: list[str] | None = None, answers: list[dict[str, Answer]] | None = None) -> list[GradeReport]:
        """Grade the workspaces' answers to the engine's questions (or to `modules`, some of them);
        `answers`, where the caller has read them already (`controller.read_answers`)."""
        folders = [Path(w).resolve() for w in workspaces]
        questions = catalog.questions(modules or self.modules)
        results: list[dict[str, QuestionResult]] = [{} for _ in folders]

        def collect(index: int, result: QuestionResult) -> None:
            results[index][result.id] = result
            if on_result is not None:
                on_result(index, result)

        together = system.start_method() == "spawn" and not self.limits.isolate  # see `controller.plan`
        units = len(folders) * len({q.import_set for q in questions})  # before any is split into shares
        shares = 1 if together else max(1, self.jobs // max(1, units))  # split only where tasks would be idle
        made = plan(folders, answers or read_answers(folders, questions), questions, shares, together)
        assert self.pool is not None
        Controller(made, self.parts, self.jobs, self.limits, collect).run(self.pool)  # type: ignore[arg-type]  # it gets back only its own tasks
        if any(len(r) != len(questions) for r in results):
            raise GraderFault("the grader stopped before every question was graded")
        return [GradeReport([r[q.id] for q in questions], str(self.isolation)) for r in results]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        tree.remove(str(self.scratch))

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()


def _examples_folder() -> str | None:
    """Where the randomised parts' examples are kept between runs (see `replay.Store`): none where
    this user has no home folder."""
    try:
        return str(system.user_cache() / "examples")
    except RuntimeError:
        return None


def _isolation(ready: Ready, limits: Limits) -> Isolation:
    if ready.unreadable:
        raise GraderFault(f"the sandbox can't read {ready.unreadable[0]} (and {len(ready.unreadable) - 1} more), which "
                          "the grader's Python needs: make the Python environment readable to the user that grades")
    found = Isolation.from_dict(ready.isolation)
    exposed = tuple(f"the student's code can read {path}" for path in ready.exposed)
    found = Isolation(found.landlock, found.seccomp, found.missing + exposed)
    if limits.strict:
        require_full(found)
    return found


# -- tasks ---------------------------------------------------------------------------------------
@dataclass
class _Task:
    """A task as the controller sees it (see `controller.Task`)."""

    connection: Connection
    end_it: Callable[[], str]
    child: "launch.TaskProcess | None" = None  # the first task's process (a forked task's is its parent's to reap)
    collected: frozenset[str] = frozenset()  # a first task's check modules: those its first run asked for

    def alive(self) -> bool:
        return not self.connection.closed and (self.child is None or self.child.alive())

    def send(self, message: Any) -> None:
        self.connection.send_bytes(protocol.encode(message))

    def receive(self) -> Any:
        try:
            return protocol.decode(self.connection.recv_bytes())
        except (EOFError, OSError, ValueError):
            return None

    def end(self) -> str:
        """Kill it (a task that is stuck, or gone)."""
        self.connection.close()
        return self.end_it()

    def close(self) -> None:
        """Tell it there is no more (its connection closes): it ends by itself, and is waited for."""
        self.connection.close()
        if self.child is not None:
            self.child.wait()


_firsts: dict[tuple, _Task] = {}  # first tasks kept warm on Linux for later runs, by what a run can't change


def _first_task(config: RunConfig) -> tuple[_Task, Ready]:
    """A first task (Linux) for the run: one kept from an earlier run in this process with the same
    mode, hidden checks, data and environment (it tries the sandbox again with this run's config),
    else a new one, kept for later runs (the last two); ended at exit."""
    key = (config.limits.isolate, config.hidden, config.data, tuple(sorted(os.environ.items())))
    task = _firsts.pop(key, None)
    if task is not None and not set(config.modules or module_names()) <= task.collected:
        task.end()  # it collected only the questions of an earlier run
        task = None
    if task is not None and task.alive():
        try:
            task, ready = task, _ready(task, config)
        except (GraderFault, OSError):
            task.end()
            task = None
    if task is None or not task.alive():
        task, ready = _start_task(config)
    _firsts[key] = task
    while len(_firsts) > 2:
        _firsts.pop(next(iter(_firsts))).end()
    return task, ready


@atexit.register
def close_first_tasks() -> None:
    """End the first tasks kept (the next grading starts new ones, from the environment then)."""
    while _firsts:
        _firsts.popitem()[1].close()


def _start_task(config: RunConfig) -> tuple[_Task, Ready]:
    """Start a task (see `task.py`), hand it the run, and wait until it is ready."""
    early = launch.take_early(config.limits.isolate)
    if early is not None:
        mine, child = early
    else:
        mine, theirs = SPAWN.Pipe()
        try:
            child = launch.TaskProcess(theirs, config.limits.isolate)
        finally:
            theirs.close()
    task = _Task(mine, child.end, child, frozenset(config.modules or module_names()))
    try:
        return task, _ready(task, config)
    except BaseException:
        task.end()
        raise


def _ready(task: _Task, config: RunConfig) -> Ready:
    """Hand a task the run's config; its `Ready`, or why it is not."""
    try:
        task.send(config)
        if not task.connection.poll(START_SECONDS):
            raise WorkersUnavailable("fastquiz's grading process did not start in time")
        ready = task.receive()
    except OSError as error:
        ready = error
    if isinstance(ready, Fault):
        raise GraderFault(ready.message)
    if not isinstance(ready, Ready):
        raise WorkersUnavailable(f"fastquiz's grading process did not start ({ready or 'it ended'}): try "
                                 "`python -c \"import fastquiz.grader.task, torch\"` to see why")
    return ready


class _Pool:
    first: _Task

    def start(self) -> _Task:
        raise NotImplementedError

    def release(self, task: _Task) -> None:
        task.end()

    def close(self) -> None: ...

    def alive(self) -> bool:
        return self.first.alive()


class _ForkPool(_Pool):
    """Tasks forked by the first one (Linux): each a copy of its session, collected and ready."""

    def __init__(self, first: _Task):
        self.first = first

    def start(self) -> _Task:
        mine, theirs = SPAWN.Pipe()
        try:
            self.first.send(Fork())
            reduction.send_handle(self.first.connection, theirs.fileno(), 0)
        finally:
            theirs.close()
        started = self.first.receive()
        if not isinstance(started, Started):
            mine.close()
            raise WorkersUnavailable("fastquiz's grading process stopped starting tasks")
        return _Task(mine, lambda: _end_pid(started.pid))

    def release(self, task: _Task) -> None:
        task.connection.close()  # an idle task ends by itself at the end of its orders (its parent reaps it)

    def close(self) -> None:
        pass  # the first task stays warm for a later run (see `_first_task`)


def _end_pid(pid: int) -> str:
    system.kill(pid)
    return "ended"


class _SpawnPool(_Pool):
    """Tasks spawned one by one (macOS, Windows): the first one already started, each the same."""

    def __init__(self, first: _Task, config: RunConfig):
        self.first = first
        self.waiting: _Task | None = first
        self.idle: list[_Task] = []  # tasks a finished run left, kept for the next
        self.config = config
        self.started: list[_Task] = [first]

    def start(self) -> _Task:
        while self.idle:
            task = self.idle.pop()
            if task.alive():
                return task
        if self.waiting is not None and self.waiting.alive():
            task, self.waiting = self.waiting, None
            return task
        task, _ = _start_task(self.config)
        self.started.append(task)
        return task

    def release(self, task: _Task) -> None:
        self.idle.append(task)

    def close(self) -> None:
        for task in self.started:
            task.end()


@contextmanager
def answer(path: Path, time_limit: float, png: bool = False) -> Iterator[Any]:
    """The answer file at `path` (named like its question's files), loaded in a worker of its own, for
    code outside grading that runs a student's functions (the report); the worker ends on exit.

    `time_limit`: the CPU seconds all its calls may use. Raises what `Student.load` raises."""
    from .answers import libraries_for
    from .protocol import WorkerSettings
    from .student import Student

    (module,) = resolve([Path(path).name.split("_", 1)[0]])
    (question,) = catalog.questions([module])
    scratch = Path(tempfile.mkdtemp(prefix="fastquiz-answer-"))
    folder = scratch / "worker"
    for sub in ("answers", "work", "shared"):
        (folder / sub).mkdir(parents=True, mode=0o700)
    source = Path(path).resolve()
    (folder / "answers" / source.name).write_bytes(source.read_bytes())
    loadable = tuple(question.loadable)
    settings = WorkerSettings(str(folder), {module: question.given}, list(loadable),
                              sandbox.worker_environment([]) + catalog.worker_rules(loadable),
                              libraries_for(source.read_text(errors="replace")), shared=str(folder / "shared"))
    workers = worker_factory().source()
    worker = None
    try:
        worker = workers.start(settings, Limits())
        student = Student(module, source, worker, time_limit, png=png)
        student.load()
        yield student
    finally:
        if worker is not None:
            worker.stop()
        workers.close()
        tree.remove(str(scratch))


_factory: list = []  # this process's workers' factory for `answer`, started on first use


def worker_factory() -> Any:
    """This process's factory of workers for `answer` (see `workers.start_factory`): call it before
    loading anything graded, and the workers come from a fork of this process, torch and all."""
    if not _factory:
        import atexit

        from .workers import start_factory

        _factory.append(start_factory(fresh=False))
        atexit.register(_factory[0].close)
    return _factory[0]
