"""How a task opens a run, before it collects the checks: the run's config, the sandbox's trial,
and the run's slow imports, started where workers come from.

`launch.task_main` opens the run before the task imports pytest, where the config is already
there (it usually is: the runner sends it as it takes the task), so that the origin imports the
run's libraries on the other core while the task imports the rest and collects; `task.main`
opens it otherwise. This module imports little: it runs before the task's own imports.
"""
from __future__ import annotations

from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Callable

from . import protocol, sandbox
from .protocol import Preflight, RunConfig

if TYPE_CHECKING:
    from .workers import WorkerFactory, WorkerSource


@dataclass
class Opening:
    """A run as a task opens it: its config, the task's source of workers, and the sandbox's trial under way."""

    config: RunConfig
    source: WorkerSource
    trying: Callable[[], Preflight]


def open_run(connection: Connection, factory: WorkerFactory) -> Opening:
    """Read the run's config; start the sandbox's trial, then have the factory import the run's slow
    libraries (the origin does one thing at a time: the trial first, as the task waits for it), while
    the task goes on."""
    config: RunConfig = protocol.decode(connection.recv_bytes())
    source = factory.source()
    trying = source.start_trial(sandbox.run_trial(config))
    factory.prepare(config.libraries)
    return Opening(config, source, trying)
