"""Workers as fresh interpreters, where they can't be forked (see `system.start_method`).

Windows has no fork, and on macOS forking a process that has loaded torch is unsafe, so there
a worker is a fresh interpreter started through multiprocessing's "spawn" (which passes it a
Connection: a pipe, or a named pipe on Windows). Starting one costs an import of torch, so a
`SpawnClient` keeps one warm ahead of need: it has imported what workers need and waits for
its settings; when a unit needs a worker, the warm one takes the settings, and a new one starts
warming in the background. A worker still serves one submission only, and is replaced when an
answer kills or poisons it (see `task.grade_unit`), as forked workers are.

`SpawnOrigin` and `SpawnClient` answer as `origin.Origin` and `origin.Client` do, so the
tasks and the controller read the same whichever way workers start.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import sys
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Callable, Iterator

from . import sandbox
from .channel import Channel, ConnectionChannel
from .messages import Preflight, Trial, WorkerSettings
from .origin import OriginBusy, OriginError

CONTEXT = multiprocessing.get_context("spawn")
START_SECONDS = 120  # a fresh interpreter's import of torch, on a slow, busy machine


class SpawnOrigin:
    """Where workers are spawned, there is no origin process: each task spawns its own."""

    def __init__(self, clean: bool):
        self.clean = clean  # grade mode: workers start with a small, clean environment
        self._spare: tuple[BaseProcess, Connection] | None = None  # for the next client

    def client(self) -> "SpawnClient":
        client = SpawnClient(self.clean, self._spare)
        self._spare = None
        return client

    def trial(self, instructions: Trial) -> Preflight:
        """Try the sandbox in a spawned trial worker; a worker for the first client starts warming meanwhile."""
        if self._spare is None:
            from .worker import spawned

            self._spare = _spawn(spawned, self.clean)
        return _trial(instructions, self.clean)

    def alive(self) -> bool:
        return True

    def close(self) -> None:
        if self._spare is not None:
            self._spare[0].kill()
            self._spare[0].join()
            self._spare = None


class SpawnClient:
    """A task's source of spawned workers, one kept warm ahead of need. A worker is handed out only
    once it has done its imports, so that its CPU time from then on is its answers'."""

    def __init__(self, clean: bool, spare: tuple[BaseProcess, Connection] | None = None):
        self.clean = clean
        self._spare = spare  # a worker warming, not yet handed out
        self._running: dict[int, BaseProcess] = {}

    def start(self, settings: WorkerSettings) -> tuple[int, Channel]:
        """Start a worker (the warm one, if there is one); its pid, and the channel to it."""
        from .worker import spawned

        process, connection = self._spare or _spawn(spawned, self.clean)
        self._spare = None
        try:
            if not connection.poll(START_SECONDS) or connection.recv_bytes() != b"warm":
                raise OSError("it did not finish its imports")
            connection.send_bytes(json.dumps(settings.as_dict()).encode())
        except (OSError, EOFError) as error:
            process.kill()
            raise OriginError(f"a spawned worker did not start ({error})") from None
        pid = process.pid
        assert pid is not None  # started
        self._running[pid] = process
        try:
            self._spare = _spawn(spawned, self.clean)  # warming in the background for the next one
        except OriginBusy:
            self._spare = None  # the next start tries again
        return pid, ConnectionChannel(connection, on_stuck=process.kill)

    def wait(self, pid: int, timeout: float) -> int | None:
        """The worker's exit code (negative: the signal) once it has ended, or None after `timeout` seconds."""
        process = self._running.get(pid)
        if process is None:
            return None
        process.join(timeout)
        if process.exitcode is not None:
            del self._running[pid]
        return process.exitcode

    def kill(self, pid: int) -> None:
        if pid in self._running:
            self._running[pid].kill()

    def trial(self, instructions: Trial) -> Preflight:
        return _trial(instructions, self.clean)

    def close(self) -> None:
        for process in [*self._running.values(), *([self._spare[0]] if self._spare else [])]:
            process.kill()
            process.join()
        self._running.clear()
        self._spare = None


def _spawn(target: Callable[[Connection], None], clean: bool) -> tuple[BaseProcess, Connection]:
    mine, theirs = CONTEXT.Pipe()
    process = CONTEXT.Process(target=target, args=(theirs,), daemon=True)
    try:
        with _environment(clean), without_main():
            process.start()
    except OSError as error:
        mine.close()
        raise OriginBusy(f"the system refused a new process ({error.strerror})") from None
    finally:
        theirs.close()
    return process, mine


@contextmanager
def without_main() -> Iterator[None]:
    """multiprocessing's spawn runs the caller's main script again in the new process, to find
    what it defines (a student's script without `if __name__ == "__main__":` would run twice, and
    a worker's memory would hold it): hide the script while the process starts."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, Any] = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


@contextmanager
def _environment(clean: bool) -> Iterator[None]:
    """What a spawned process starts with: thread pools of one thread, and in grade mode the clean
    environment, not the grader's."""
    saved = dict(os.environ)
    if clean:
        os.environ.clear()
        os.environ.update(sandbox.clean_environment(saved))
    os.environ.update(sandbox.ONE_THREAD)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _trial(instructions: Trial, clean: bool) -> Preflight:
    """A trial worker, spawned: what it could and could not read once confined (see `sandbox.probe`)."""
    process, connection = _spawn(_probe_main, clean)
    try:
        connection.send_bytes(json.dumps(instructions.as_dict()).encode())
        if not connection.poll(START_SECONDS):
            raise OriginError("the sandbox's trial worker did not answer")
        return Preflight.from_dict(json.loads(connection.recv_bytes()))
    except (OSError, EOFError) as error:
        raise OriginError(f"the sandbox's trial worker failed ({error})") from None
    finally:
        process.join(5)
        process.kill()


def _probe_main(connection) -> None:
    instructions = Trial.from_dict(json.loads(connection.recv_bytes()))
    connection.send_bytes(json.dumps(sandbox.probe(instructions).as_dict()).encode())
