"""A task: a pytest session that grades the units its controller hands it, one at a time.

The runner spawns the first task as a fresh interpreter (with the clean environment in grade
mode). It imports torch, starts the workers' factory at once (on Linux a fork of itself: nothing
graded is loaded yet, see `workers.py`) and opens the run its `RunConfig` describes (`opening.py`),
then runs pytest with this role: pytest collects the bank and the hidden checks (see `plugin.py`), each randomised part's
examples are read from the user's cache or drawn once (`replay.py`), and a trial worker, started
as the config arrived, tries the sandbox meanwhile. It answers `Ready`
with the isolation found and every question's parts. On Linux the first task then only forks
tasks, one per `Fork`, each a copy of the session made so far; elsewhere it grades itself, and
the runner spawns more like it. A task grades each `Order`: it copies the unit's answers into a
fresh worker's folder, and runs each question's parts through pytest with the `student` they
take, reporting each question's result as it is done. A worker that ran into a limit, raised or
grew is replaced before the next question.
"""
from __future__ import annotations

import gc
import importlib
import os
import tempfile
import time
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from . import catalog, plugin, protocol, replay, sandbox, system, tree, workers
from .answers import NotAttempted, NoWorker, StudentError, StudentLimit, answer_bytes
from .opening import Opening, open_run
from .plugin import State
from .protocol import (Fault, Fork, GraderFault, Order, Preflight, Ready, Reported, RunConfig, Started, Status,
                       SystemBusy, WorkerSettings)
from .question import module_names
from .results import PartResult, QuestionResult
from .student import Student
from .verdict import Current
from .worker import SEED, seed_generators
from .workers import WorkerProcess, WorkerSource

GROWTH_LIMIT = 256 << 20  # a shared worker that grew by this much over a question is replaced
CLEAN = (Status.PASSED, Status.FAILED, Status.NOT_STARTED)
PYTEST_ARGS = ["-p", "fastquiz.grader.plugin", "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:logging", "-p", "no:junitxml",
               "-p", "no:pastebin", "-p", "no:doctest", "-p", "no:stepwise", "-p", "no:warnings", "--assert=plain",
               "--capture=no"]  # a task's output goes nowhere (`_quiet`): nothing to capture around each part


def main(connection: Connection, clean: bool, factory: workers.WorkerFactory, opening: Opening | None) -> None:
    """A task process (see the module's docstring); never returns. `factory`: its workers' factory, and
    `opening`: the run, where it was opened before this module's imports (see `launch.task_main`)."""
    status = 1
    try:
        system.name_process("fastquiz-task")
        sandbox.one_thread()  # torch, and thread pools of one: a fork of a parallel pool hangs
        _factory.append(factory)
        opening = opening or open_run(connection, factory)
        config = opening.config
        role = TaskRole(opening, factory, connection)
        _quiet()
        import hypothesis.configuration

        hypothesis.configuration.set_hypothesis_home_dir(str(Path(config.scratch) / ".hypothesis"))
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # fastquiz's plugin alone, whatever else is installed
        gc.disable()  # while pytest collects the checks, imports mostly (as `system.quick_imports`): see `TaskRole.run`
        code = pytest.main([*PYTEST_ARGS, *_settings(config)], plugins=[role])
        if not role.ready:
            _tell(connection, f"pytest could not collect fastquiz's checks (exit code {code}): run `python -m pytest "
                              "--fastquiz WORKSPACE` to see why")
        status = 0
    except (EOFError, OSError):
        status = 0  # the runner is gone
    except GraderFault as fault:
        _tell(connection, str(fault))
    except BaseException as error:  # noqa: BLE001 (said to the runner in one line, which it reports)
        _tell(connection, f"fastquiz's grading process failed to start: {type(error).__name__}: {error}")
    finally:
        _end_children()
        os._exit(status)


_factory: list[workers.WorkerFactory] = []  # this process's workers' factory, ended with it


def _end_children() -> None:
    """Wait for what this process started (its tasks end with their connections; the origin, told to
    go, with its workers), so that their CPU time counts in its own, for whoever waits for it."""
    origin = _factory[0] if _factory else None
    if origin is not None:
        origin.close()
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _settings(config: RunConfig) -> list[str]:
    """pytest's settings in a task: its own, empty, configuration (none of the folder it was started
    from), and conftest files only from the hidden checks' folder, where an instructor keeps fixtures."""
    scratch = Path(config.scratch)
    (scratch / "pytest.ini").write_text("[pytest]\n")
    return ["-c", str(scratch / "pytest.ini"), "--rootdir", str(scratch),
            "--confcutdir", config.hidden or str(Path(importlib.import_module(plugin.CHECKS_PACKAGE).__path__[0]))]


def _tell(connection: Connection, message: str) -> None:
    try:
        connection.send_bytes(protocol.encode(Fault(message)))
    except OSError:
        pass


class TaskRole:
    """The plugin's role in a task (registered as the plugin `plugin.ROLE`)."""

    __name__ = plugin.ROLE

    def __init__(self, opening: Opening, factory: workers.WorkerFactory, connection: Connection):
        config = opening.config
        self.config, self.factory, self.connection = config, factory, connection
        self.hidden = config.hidden
        self.modules = config.modules  # the check modules to collect (all when none): the first run's
        self.ready = False  # whether it told the runner so
        self.recorded = False  # whether the randomised parts' examples are drawn (see `replay.py`)
        self.source = opening.source
        self.trying: Callable[[], Preflight] | None = opening.trying  # the sandbox's trial, while pytest collects

    def describe(self) -> str:
        return "a task"

    def summary(self, write: plugin.Reporter) -> None:
        pass

    def run(self, session: pytest.Session, state: State) -> None:
        gc.freeze()  # the checks are collected (see `main`): what that made stays
        gc.enable()
        source = self.source
        state.record = True  # a task grades answer after answer: note each part's examples, replay them
        try:
            importlib.import_module(plugin.CHECKS_PACKAGE).warm_up()
            self.start_run(self.config, state, source)
            gc.freeze()  # what is loaded so far stays out of the collector's reach (and its pages shared with forks)
            if system.start_method() == "fork":
                self._fork_tasks(session, state, source)
            else:
                serve(session, state, self.connection, source, self)
        except GraderFault as fault:
            self.connection.send_bytes(protocol.encode(Fault(str(fault))))
        finally:
            source.close()

    def start_run(self, config: RunConfig, state: State, source: WorkerSource) -> None:
        """Take a run's config (the first, or a later run's): try the sandbox with it, and say `Ready`."""
        self.config = config
        catalog.adopt(config.questions)  # read by the runner already
        if not self.recorded:  # before the tasks are forked: each starts with them
            if not _examples(state, config):
                _warm_hypothesis()  # some part runs hypothesis for real in every task
            self.recorded = True
        if config.data:
            os.environ[protocol.DATA_VARIABLE] = config.data  # read by r2's checks
        found = (self.trying or source.start_trial(sandbox.run_trial(config)))()
        self.trying = None
        parts = {question: [(item.name, plugin.points_of(item), plugin.is_hidden(item)) for item in items]
                 for question, items in state.items.items()}
        self.connection.send_bytes(protocol.encode(Ready(found.isolation, found.unreadable, found.exposed, parts)))
        self.ready = True

    def _fork_tasks(self, session: pytest.Session, state: State, source: WorkerSource) -> None:
        """The first task on Linux: fork a task per `Fork`, and take a later run's config, until the
        runner goes. Its collected session serves any run with the same hidden checks and data."""
        _warm_catalog(self.modules or module_names())
        gc.freeze()  # that too, as what `run` froze
        while True:
            try:
                message = protocol.decode(self.connection.recv_bytes())
            except (EOFError, OSError):
                return
            _reap()
            if isinstance(message, RunConfig):
                self.factory.prepare(message.libraries)
                self.start_run(message, state, source)
                continue
            assert isinstance(message, Fork), message
            fd = reduction.recv_handle(self.connection)
            theirs = self.factory.source()
            pid = os.fork()
            if pid == 0:
                status = 1
                try:
                    _factory.clear()  # the origin is the first task's to end
                    self.connection.close()
                    source.close()
                    serve(session, state, Connection(fd), theirs, self)
                    status = 0
                finally:
                    os._exit(status)
            os.close(fd)
            theirs.close()
            self.connection.send_bytes(protocol.encode(Started(pid)))


def serve(session: pytest.Session, state: State, connection: Connection, source: WorkerSource,
          role: TaskRole) -> None:
    """Grade each unit the controller orders (with the run's config the role holds), until it says
    stop or goes."""
    system.name_process("fastquiz-task")
    try:
        while True:
            message = protocol.decode(connection.recv_bytes())
            if isinstance(message, RunConfig):  # a later run (where tasks are not forked)
                role.start_run(message, state, source)
                continue
            for result in grade_unit(session, state, message, source, role.config):
                connection.send_bytes(protocol.encode(Reported(message.unit, result.as_dict())))
    except GraderFault as fault:
        connection.send_bytes(protocol.encode(Fault(str(fault))))
    except (EOFError, OSError):
        pass  # the controller is gone
    finally:
        source.close()


def grade_unit(session: pytest.Session, state: State, order: Order, source: WorkerSource,
               config: RunConfig) -> Iterator[QuestionResult]:
    """Each question's result, in order."""
    limits = config.limits
    ends = None if order.budget is None else (time.monotonic() + order.budget,
                                              f"the submission's {limits.budget:g} s grading budget")
    worker = None
    try:
        for question in catalog.questions(order.modules):
            began = time.monotonic()
            if ends is not None and began >= ends[0]:
                yield _all_parts(state, question, Status.TIMEOUT, f"not run: nothing was left of {ends[1]}")
                continue
            if worker is None:
                try:
                    worker = start_worker(order, source, config)
                except (NoWorker, SystemBusy) as refused:
                    yield _all_parts(state, question, Status.ERROR, f"not graded: the grader could not start a process "
                                                                    f"for it ({refused}); grade it again")
                    continue
            result, keep = grade_question(session, state, question, Path(order.folder), worker, ends,
                                          limits.time_limit(question.question))
            result.seconds = round(time.monotonic() - began, 3)  # a new worker's start counts against the budget
            yield result
            if not keep:
                worker.stop()
                worker = None
    finally:
        if worker is not None:
            worker.stop()


def start_worker(order: Order, source: WorkerSource, config: RunConfig) -> WorkerProcess:
    """A fresh worker with the unit's answers (copied: the worker can't read the workspace)."""
    questions = catalog.questions(order.modules)
    folder = Path(tempfile.mkdtemp(prefix="worker-", dir=config.scratch))
    for sub in ("answers", "work"):
        (folder / sub).mkdir(mode=0o700)
    for question in questions:
        try:
            data = answer_bytes(Path(order.folder) / f"{question.module}.py")
        except StudentError:
            data = None  # read again by its `Student`, which says why
        if data is not None:
            (folder / "answers" / f"{question.module}.py").write_bytes(data)
    loadable = sorted({m for q in questions for m in q.loadable})
    limits = config.limits
    settings = WorkerSettings(
        folder=str(folder), answers={q.module: q.given for q in questions}, loadable=loadable,
        rules=config.environment + catalog.worker_rules(tuple(loadable)), libraries=order.libraries,
        memory_mb=limits.memory_mb, cpu_seconds=limits.cpu_seconds, file_mb=limits.file_mb,
        shared=str(_shared_folder(config)))
    try:
        return source.start(settings, limits)
    except SystemBusy as busy:
        tree.remove(str(folder))
        raise NoWorker(str(busy)) from None
    except BaseException:
        tree.remove(str(folder))
        raise


def grade_question(session: pytest.Session, state: State, question: catalog.QuestionInfo, workspace: Path,
                   worker: WorkerProcess, ends: tuple[float, str] | None, time_limit: float,
                   png: bool = False) -> tuple[QuestionResult, bool]:
    """Run a question's parts (its public parts, then any hidden ones) and classify each; also
    whether the worker may serve the next question."""
    seed_generators(SEED)  # a question's result never depends on what ran before it
    started, current = time.monotonic(), Current()
    growth_start = worker.resident()
    try:
        current.student = Student(question.module, workspace / f"{question.module}.py", worker, time_limit, ends, png)
        current.student.load()
    except (NotAttempted, StudentLimit, StudentError) as error:
        current.refusal = error
    parts = plugin.run_question(session, state, question.id, current)
    if current.student is not None:
        current.student.forget()
    result = QuestionResult(question.id, question.question.title, parts, round(time.monotonic() - started, 3),
                            round(current.student.spent, 4) if current.student else 0.0)
    keep = worker.running and result.status in CLEAN and worker.resident() - growth_start < GROWTH_LIMIT
    return result, keep


def _shared_folder(config: RunConfig) -> Path:
    """This task's folder of files its checks make for answers to read (what may go there: see
    `Student.shared_folder`): one per task, so that what a check makes once serves every submission."""
    folder = Path(config.scratch) / f"shared-{os.getpid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _all_parts(state: State, question: catalog.QuestionInfo, status: Status, message: str) -> QuestionResult:
    parts = [PartResult(item.name, status, 0, plugin.points_of(item), message, plugin.is_hidden(item))
             for item in state.items.get(question.id, [])]
    return QuestionResult(question.id, question.question.title, parts)


def _reap() -> None:
    """Wait for the tasks that have ended (the first task is their parent)."""
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def _examples(state: State, config: RunConfig) -> bool:
    """Each randomised part's examples, before any answer is graded: the bank's from the examples kept
    between runs, and drawn now (see `replay.py`) where they are missing and will be kept, or replayed
    for many answers (a run of several submissions); the others are noted as the first answer passes.
    Whether every part has its examples (then hypothesis runs only to shrink a failing part's)."""
    randomised = [item for items in state.items.values() for item in items
                  if isinstance(item, pytest.Function) and hasattr(item.obj, "hypothesis")]
    bank = [item for item in randomised if not plugin.is_hidden(item)]
    store, kept = None, {}
    if config.examples:
        package = importlib.import_module(plugin.CHECKS_PACKAGE).__path__[0]
        reference = importlib.import_module("fastquiz.reference").__path__[0]
        store = replay.Store(Path(config.examples), [*Path(package).glob("*.py"), *Path(reference).glob("*.py")])
        kept = store.load()
        state.replay.update({item.nodeid: kept[item.nodeid] for item in bank if item.nodeid in kept})
    if config.record:
        wanted = randomised  # replayed for many answers
    elif store is not None:
        wanted = bank  # kept for the next run
    else:
        wanted = []
    drawn = [item for item in wanted if item.nodeid not in state.replay]
    for item in drawn:
        examples = replay.record(item.obj, {"student": None})
        if examples is not None:
            state.replay[item.nodeid] = examples
    if store is not None and any(item in bank for item in drawn):  # kept with those of the parts not collected here
        store.save({**kept, **{item.nodeid: examples for item in bank if (examples := state.replay.get(item.nodeid))}})
    return all(item.nodeid in state.replay for item in randomised)


def _warm_catalog(modules: list[str]) -> None:
    """Work out what each question's worker may load (its modules and their files), before tasks are
    forked: each would work it out again otherwise."""
    for question in catalog.questions(modules):
        catalog.worker_rules(tuple(sorted(question.loadable)))


@given(st.integers())
def _warm_hypothesis_once(_: int) -> None:
    """hypothesis's first test sets up its random state, and its first draw of a number collects the
    constants of the modules it deems local, scanning their source (a fraction of a second)."""


def _warm_hypothesis() -> None:
    """Run hypothesis once, here, before tasks are forked: each starts with that work done (where
    every part's examples are replayed, the first to fail pays it instead)."""
    _warm_hypothesis_once()


def _quiet() -> None:
    """A task writes nothing to the terminal it may share with the runner."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)

