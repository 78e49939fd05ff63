"""Starting and ending tasks: the processes (or, once, a thread) that run the checks.

Where workers are forked, tasks are too: forked from the controller once it has loaded the
checks, so each starts warm. Where they are spawned (see `system.start_method`), the first
task is a thread of the controller, which has loaded the checks already, and the others are
fresh interpreters that load the checks themselves. Either way a task talks to the
controller over one multiprocessing Connection (see `messages.py` for what it carries) and
gets workers from a client of the run's origin.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from . import system
from .origin import Origin
from .spawner import without_main
from .task import serve

if TYPE_CHECKING:
    from .controller import Run

CONTEXT = multiprocessing.get_context("spawn")


@dataclass
class Task:
    """A running task: the controller's end of its connection, and how to end it."""

    connection: Connection
    pid: int | None = None  # a forked task
    process: BaseProcess | None = None  # a spawned task
    thread: threading.Thread | None = None  # a task in the controller's own process

    def end(self) -> int:
        """Stop the task and reap it; its exit code (negative: the signal)."""
        self.connection.close()
        if self.pid is not None:
            system.kill(self.pid)
            return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        if self.process is not None:
            self.process.kill()
            self.process.join()
            return self.process.exitcode or 0
        return 0  # a thread ends when it reads that the connection is closed


def start(run: "Run", first: bool) -> Task:
    """A new task for the run (`first`: none is running yet)."""
    if system.start_method() == "fork":
        return _fork(run)
    return _thread(run) if first else _spawn(run)


def _fork(run: "Run") -> Task:
    gc.freeze()  # the child's collections skip everything loaded so far (and its pages stay shared)
    mine, theirs = multiprocessing.Pipe()
    client = run.origin.client()
    try:
        pid = os.fork()
    except OSError:
        for end in (client, mine, theirs):
            end.close()
        raise
    if pid == 0:  # the task: grade, report, and never return into the caller
        status = 1
        try:
            mine.close()
            if isinstance(run.origin, Origin):
                run.origin.control.close()  # only the controller talks to the origin itself
            system.new_process_group()
            serve(run.checks, theirs, client, run.limits, run.scratch, run.environment, quiet=True)
            status = 0
        finally:
            os._exit(status)
    client.close()
    theirs.close()
    return Task(mine, pid=pid)


def _thread(run: "Run") -> Task:
    gc.freeze()  # as for a forked task: hypothesis's collections skip everything loaded so far
    mine, theirs = multiprocessing.Pipe()
    thread = threading.Thread(target=serve, args=(run.checks, theirs, run.origin.client(), run.limits, run.scratch,
                                                  run.environment),
                              daemon=True, name="fastquiz-task")
    thread.start()
    return Task(mine, thread=thread)


def _spawn(run: "Run") -> Task:
    mine, theirs = CONTEXT.Pipe()
    plan = {"modules": [q.module for q in run.checks], "hidden": run.hidden, "limits": run.limits, "scratch": run.scratch,
            "environment": run.environment}
    process = CONTEXT.Process(target=spawned, args=(theirs, plan))  # not a daemon: it starts workers
    with without_main():
        process.start()
    theirs.close()
    return Task(mine, process=process)


def spawned(connection: Connection, plan: dict) -> None:
    """A spawned task: load the checks as the controller did, then serve its orders."""
    from . import catalog
    from .controller import STUBS_DIR
    from .origin import origin_for

    checks = catalog.load(plan["modules"], STUBS_DIR, plan["hidden"])
    catalog.warm_up(checks)
    gc.freeze()  # as for a forked task: hypothesis's collections skip everything loaded so far
    limits = plan["limits"]
    serve(checks, connection, origin_for(limits.isolate).client(), limits, plan["scratch"], plan["environment"],
          quiet=True)
