"""A task's process: a fresh interpreter that runs `task.main` on its end of a connection.

The commands that grade (`fastquiz check`, `grade`, `report`) start their first task before their
own imports (`start_early`, called by the console script): the task imports torch, its slowest
step, while the command reads its options and the answers. The runner takes that task
(`take_early`) where the run's mode and environment are those it was started with; otherwise it
ends it and starts its own. This module imports little, so that the task starts at once.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import subprocess
import sys
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from . import sandbox, system
from .opening import open_run

SPAWN = multiprocessing.get_context("spawn")
# The commands that grade, and whether they grade in grade mode (a clean environment: `Limits.isolate`,
# which `fastquiz.batch` sets). A guess that turns out wrong costs the early task, never the run.
EARLY = {"check": False, "report": False, "grade": True}
TASK_ENTRY = ("import sys; from multiprocessing.connection import Connection; from fastquiz.grader.launch import task_main; "
              "task_main(Connection(int(sys.argv[1])), sys.argv[2] == 'True')")  # a task's process, given its connection


class TaskProcess:
    """A task's process. Where descriptors can be handed on (POSIX) it is started as a plain
    subprocess, which a daemonic process (a Dask worker's) may start too; elsewhere through
    multiprocessing's spawn."""

    def __init__(self, connection: Connection, clean: bool):
        self.process: subprocess.Popen | BaseProcess
        with sandbox.spawn_environment(clean):
            if os.name == "posix":
                fd = connection.fileno()
                self.process = subprocess.Popen([sys.executable, "-c", TASK_ENTRY, str(fd), str(clean)],
                                                pass_fds=(fd,), env=dict(os.environ), stdin=subprocess.DEVNULL,
                                                cwd="/")
            else:
                self.process = SPAWN.Process(target=task_main, args=(connection, clean), name="fastquiz-task")
                with system.without_main():
                    self.process.start()

    def alive(self) -> bool:
        if isinstance(self.process, subprocess.Popen):
            return self.process.poll() is None
        return self.process.is_alive()

    def end(self) -> str:
        self.process.kill()
        return self.wait()

    def wait(self, timeout: float = 10.0) -> str:
        """How it ended, once it has (killed if it is still there after `timeout` seconds)."""
        if isinstance(self.process, subprocess.Popen):
            try:
                return system.exit_reason(self.process.wait(timeout))
            except subprocess.TimeoutExpired:
                self.process.kill()
                return system.exit_reason(self.process.wait())
        self.process.join(timeout)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
        return system.exit_reason(self.process.exitcode or 0)


def task_main(connection: Connection, clean: bool) -> None:
    """A task process's first steps (see `task.main`): its workers' factory starts as early as it may,
    and the run opens with it where the run's config is already there, before this process imports
    the rest of the task (pytest, hypothesis, the grader's modules). Where workers are spawned, the
    first one starts warming at once, while this process imports torch. Where they are forked, the
    origin is forked as soon as torch is in (it must hold torch, and nothing graded: see
    `workers.py`), and imports the run's slow libraries meanwhile."""
    with system.quick_imports():
        from .workers import start_factory

        if system.start_method() != "spawn":
            import torch  # noqa: F401 (what the origin holds for every worker)
    factory = start_factory(fresh=False)  # outside `quick_imports`: an origin forked in it would keep its collector off
    opening = open_run(connection, factory) if connection.poll(0) else None
    with system.quick_imports():
        from .task import main

    main(connection, clean, factory, opening)


_early: list[tuple[bool, dict[str, str], Connection, TaskProcess]] = []  # at most one: mode, environment, task


def start_early(argv: list[str]) -> None:
    """Start the first task of the command in `argv` (the console script's), where it grades (POSIX)."""
    if os.name != "posix" or len(argv) < 2 or argv[1] not in EARLY or _early:
        return
    options = argv[2:]
    if "--executor=dask" in options or ["--executor", "dask"] in [options[i:i + 2] for i in range(len(options))]:
        return  # graded on a Dask cluster, not here
    clean = EARLY[argv[1]]
    mine, theirs = SPAWN.Pipe()
    try:
        task = TaskProcess(theirs, clean)
    except OSError:  # no process to spare now: the runner starts one when it needs it
        mine.close()
        return
    finally:
        theirs.close()
    _early.append((clean, dict(os.environ), mine, task))
    atexit.register(end_early)


def take_early(clean: bool) -> tuple[Connection, TaskProcess] | None:
    """The task started early, where it was started in this mode and this environment and still runs;
    else None (it is ended)."""
    if not _early:
        return None
    started_clean, environment, connection, task = _early.pop()
    if started_clean == clean and environment == dict(os.environ) and task.alive():
        return connection, task
    connection.close()
    task.end()
    return None


def end_early() -> None:
    """End an early task no run took (a command that stopped before it graded)."""
    while _early:
        connection, task = _early.pop()[2:]
        connection.close()
        task.end()
