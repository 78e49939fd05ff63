"""Where workers come from: one factory, whether they are forked from a clean origin or spawned.

    factory = start_factory(fresh=False)   # before anything graded is loaded (checked here)
    source = factory.source()               # one per task
    worker = source.start(settings, limits)  # a `WorkerProcess`; its first frame is its settings

On Linux the factory is an origin (`ForkOrigin`): a process that has imported torch and numpy,
and never a check, a hidden check, an answer key, a model answer or a submission, that forks a
worker for each request. It is a fork of the calling process when that has loaded nothing graded
(the first task, which is started with a clean environment in grade mode), else a fresh
interpreter started with the clean environment. It never reads what a worker is told: the task
sends a worker its settings down the worker's own connection, and a trial worker its
instructions likewise, so nothing of one worker, or of the run's other submissions, stays in the
memory the next worker is forked from. A fork the system refuses (no process ids left) is
reported, and the origin goes on. When its creator goes, the origin and its workers go too.

Where fork is missing or unsafe (Windows; macOS, where forking a process that loaded torch is
unsafe; FASTQUIZ_WORKERS=spawn), the factory is a `Spawner`: each worker is a fresh interpreter
started through multiprocessing's "spawn", one kept warm ahead of need.

Both speak to their workers over a multiprocessing Connection (`channel.Channel`), and both
answer `source.start`, `source.trial`, `source.wait` and `source.kill` the same way.
"""
from __future__ import annotations

import abc
import gc
import importlib
import multiprocessing
import os
import select
import selectors
import signal
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Callable, cast

from . import protocol, sandbox, system, tree
from .channel import Channel
from .protocol import (Ended, Limits, NewClient, Preflight, Prepare, StartFailed, Started, StartTrial, StartWorker, SystemBusy,
                       Trial, WorkerSettings, WorkersUnavailable)

UNSAFE_MODULES = ("fastquiz.grader.checks.", "fastquiz.solutions.", "fastquiz.reference.", "fastquiz.exercises.",
                  "fastquiz_hidden_checks")  # a process that loaded one of these can't be an origin
START_SECONDS = 120  # a fresh interpreter's import of torch, on a slow, busy machine
TRIAL_SECONDS = 60
BUSY_WAITS = (0.1, 0.5, 2.0)  # seconds between tries, when the system refuses a new process
SPAWN = multiprocessing.get_context("spawn")


def start_factory(fresh: bool) -> "WorkerFactory":
    """The factory of this process's workers. `fresh`: this process's memory must not be where
    workers come from (grade mode in a process that was not started clean); otherwise the origin
    is a fork of this process, which must not have loaded anything graded yet."""
    if system.start_method() == "spawn":
        return Spawner(clean=fresh)
    if not fresh and any(m.startswith(UNSAFE_MODULES) for m in sys.modules):
        fresh = True  # too late to fork from here: what a worker would inherit is graded
    return ForkOrigin.start(fresh)


class WorkerProcess:
    """A worker process as its task sees it: a pid, a channel, a scratch folder, the limits it runs under."""

    def __init__(self, pid: int, channel: Channel, settings: WorkerSettings, limits: Limits, source: "WorkerSource"):
        self.pid: int | None = pid
        self.channel, self.settings, self.limits, self.source = channel, settings, limits, source
        self.folder = Path(settings.folder)
        self.status: int | None = None  # its exit code (negative: the signal) once it has ended

    @property
    def running(self) -> bool:
        return self.pid is not None

    def cpu(self) -> float | None:
        """The CPU time it has used; None where the OS won't say (then limits are wall-clock)."""
        return system.cpu_seconds(self.pid) if self.pid else None

    def threads(self) -> int | None:
        return system.threads(self.pid) if self.pid else None

    def resident(self) -> int:
        return system.resident_bytes(self.pid) or 0 if self.pid else 0

    def work_usage(self, most_depth: int) -> tree.Usage:
        """What it has made in its work folder, counted up to its caps."""
        return tree.usage(str(self.folder / "work"), self.limits.scratch_files, most_depth)

    def stop(self, grace: float = 0.0) -> int | None:
        """End the worker (given `grace` seconds to end by itself); its exit code, or None when it had
        to be killed. A worker that ended is buried (its folder deleted) now; a killed one by its
        source's next start or close (`WorkerSource.bury`): a task need not wait while the system
        frees a killed worker's memory."""
        if self.pid is not None:
            self.status = self.source.wait(self.pid, grace) if grace else None
            if self.status is None:
                self.source.kill(self.pid)
            self.source.dying.append((self.pid if self.status is None else None, self.channel, self.folder))
            self.pid = None
            if self.status is not None:
                self.source.bury()
        return self.status


class WorkerSource(abc.ABC):
    """A task's way to its workers."""

    def __init__(self) -> None:
        self.dying: list[tuple[int | None, Channel, Path]] = []  # stopped workers (pid while not seen to end), to bury

    def start(self, settings: WorkerSettings, limits: Limits) -> WorkerProcess:
        """Start a worker and send it its settings; SystemBusy when the system refused a new process
        time after time, WorkersUnavailable when it could not be started at all."""
        self.bury()
        for wait in (*BUSY_WAITS, None):
            try:
                pid, channel = self._start(settings)
            except SystemBusy:
                if wait is None:
                    raise
                time.sleep(wait)
                continue
            return WorkerProcess(pid, channel, settings, limits, self)
        raise AssertionError("unreachable")

    def bury(self) -> None:
        """Wait for the stopped workers to end, and delete their folders."""
        while self.dying:
            pid, channel, folder = self.dying.pop()
            if pid is not None:
                self.wait(pid, 5.0)
            channel.close()
            tree.remove(str(folder))

    @abc.abstractmethod
    def _start(self, settings: WorkerSettings) -> tuple[int, Channel]:
        ...

    def trial(self, instructions: Trial) -> Preflight:
        """What a worker confined by `instructions.settings` can and can't read (see `sandbox.probe`)."""
        return self.start_trial(instructions)()

    @abc.abstractmethod
    def start_trial(self, instructions: Trial) -> Callable[[], Preflight]:
        """Start a trial worker on `instructions` and go on; the function returned waits for what it found."""

    @abc.abstractmethod
    def wait(self, pid: int, timeout: float) -> int | None:
        """The worker's exit code (negative: the signal) once it has ended, or None after `timeout` seconds."""

    @abc.abstractmethod
    def kill(self, pid: int) -> None:
        ...

    @abc.abstractmethod
    def close(self) -> None:
        """Bury the stopped workers, and let go of the way to new ones."""


class WorkerFactory(abc.ABC):
    @abc.abstractmethod
    def source(self) -> WorkerSource:
        """A way to workers for one task (made before the task starts, when tasks are forked)."""

    def prepare(self, libraries: list[str]) -> None:
        """Start the slow imports that workers will need, where workers inherit them (an origin);
        the caller goes on meanwhile."""

    @abc.abstractmethod
    def close(self) -> None:
        ...


# -- forked from an origin (Linux) ---------------------------------------------------------------
class ForkOrigin(WorkerFactory):
    """The handle on a running origin."""

    def __init__(self, pid: int, control: socket.socket, process: subprocess.Popen | None):
        self.pid, self.control, self.process = pid, control, process

    @classmethod
    def start(cls, fresh: bool) -> "ForkOrigin":
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        process = None
        if not fresh:
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                try:
                    system.close_fds_except({theirs.fileno()})
                    serve(theirs)
                finally:
                    os._exit(70)
        else:
            environment = sandbox.clean_environment(dict(os.environ))
            process = subprocess.Popen([sys.executable, "-m", "fastquiz.grader.workers", str(theirs.fileno())],
                                       pass_fds=(theirs.fileno(),), env=environment, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, cwd="/")
            pid = process.pid
        theirs.close()
        origin = cls(pid, mine, process)
        if not isinstance(_receive(mine, START_SECONDS)[0], Started):
            origin.close()
            raise WorkersUnavailable("the worker origin did not start: "
                                     f"try `{sys.executable} -m fastquiz.grader.workers` to see why")
        return origin

    def prepare(self, libraries: list[str]) -> None:
        if libraries:
            _send(self.control, Prepare(libraries))

    def source(self) -> "ForkSource":
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        _send(self.control, NewClient(), (theirs.fileno(),))
        theirs.close()
        return ForkSource(mine)

    def close(self) -> None:
        self.control.close()
        system.kill(self.pid)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


class ForkSource(WorkerSource):
    """A task's socket to the origin: start workers and trial workers, learn when they end."""

    def __init__(self, sock: socket.socket):
        super().__init__()
        self.sock = sock
        self.ended: dict[int, int] = {}  # pid -> exit code (negative: the signal), as the origin reports them

    def _start(self, settings: WorkerSettings) -> tuple[int, Channel]:
        mine, theirs = multiprocessing.Pipe()
        try:
            pid = self._fork(StartWorker(settings.libraries), (theirs.fileno(),))
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        channel = Channel(mine, on_stuck=lambda: system.kill(pid))
        channel.send(protocol.encode(settings), time.monotonic() + START_SECONDS)
        return pid, channel

    def start_trial(self, instructions: Trial) -> Callable[[], Preflight]:
        order_r, order_w = os.pipe()
        found_r, found_w = os.pipe()
        try:
            self._fork(StartTrial(), (order_r, found_w))
            for fd in (order_r, found_w):
                os.close(fd)
            order_r = found_w = -1
            with os.fdopen(order_w, "wb") as order:
                order_w = -1
                order.write(protocol.encode(instructions))
        except BaseException:
            for fd in (order_r, order_w, found_r, found_w):
                if fd >= 0:
                    os.close(fd)
            raise

        def found() -> Preflight:
            try:
                report = _read_all(found_r, TRIAL_SECONDS)
            finally:
                os.close(found_r)
            if not report:
                raise WorkersUnavailable("the sandbox's trial worker ended without a word")
            return protocol.decode(report)
        return found

    def _fork(self, order: Any, fds: tuple[int, ...]) -> int:
        """Ask the origin to fork a child with these descriptors; its pid."""
        _send(self.sock, order, fds)
        while True:
            reply = self._next(START_SECONDS)
            if reply is None:
                raise WorkersUnavailable("the worker origin is gone or did not answer")
            if isinstance(reply, Started):
                return reply.pid
            if isinstance(reply, StartFailed):
                raise (SystemBusy if reply.busy else WorkersUnavailable)(reply.message)

    def wait(self, pid: int, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while pid not in self.ended:
            left = deadline - time.monotonic()
            if left <= 0 or self._next(left) is None:
                return None
        return self.ended.pop(pid)

    def kill(self, pid: int) -> None:
        system.kill(pid)

    def close(self) -> None:
        self.bury()
        self.sock.close()

    def _next(self, timeout: float | None) -> Any:
        """The next message that is not an `Ended` notice (those are kept); None on timeout or EOF."""
        message, fds = _receive(self.sock, timeout)
        for fd in fds:
            os.close(fd)
        if isinstance(message, Ended):
            self.ended[message.pid] = message.status
            return Ended(0, 0)  # something came: the caller looks again
        return message


def _send(sock: socket.socket, message: Any, fds: tuple[int, ...] = ()) -> None:
    data = protocol.encode(message)
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.send(data)


def _receive(sock: socket.socket, timeout: float | None = None) -> tuple[Any, list[int]]:
    """One message and the descriptors that came with it; (None, []) at the end (the other side closed,
    or reset: it closed with messages of ours unread), or after `timeout` seconds."""
    sock.settimeout(timeout)
    try:
        data, fds, _, _ = socket.recv_fds(sock, 1 << 20, 4)
    except (TimeoutError, BlockingIOError, ConnectionResetError):
        return None, []
    finally:
        sock.settimeout(None)
    if not data:
        for fd in fds:
            os.close(fd)
        return None, []
    return protocol.decode(data), list(fds)


def serve(control: socket.socket) -> None:
    """The origin's loop: start workers for its clients until its creator goes; never returns."""
    with system.quick_imports():
        from . import worker  # noqa: F401 (loaded here, so that every worker has it without reading its file)

    system.die_with_parent()
    system.name_process("fastquiz-origin")
    sandbox.one_thread()  # a forked child of a process that ran a parallel op hangs on its own first one otherwise
    _quiet()
    wakeup_r, wakeup_w = os.pipe()
    os.set_blocking(wakeup_w, False)
    signal.set_wakeup_fd(wakeup_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    state = _Origin(control, wakeup_r)
    _send(control, Started(os.getpid()))  # ready
    while True:
        for key, _ in state.selector.select():
            if key.fileobj == wakeup_r:
                os.read(wakeup_r, 4096)
                state.reap()
            else:
                state.handle(cast(socket.socket, key.fileobj))


class _Origin:
    def __init__(self, control: socket.socket, wakeup_r: int):
        self.control = control
        self.selector = selectors.DefaultSelector()
        self.selector.register(control, selectors.EVENT_READ)
        self.selector.register(wakeup_r, selectors.EVENT_READ)
        self.owners: dict[int, socket.socket] = {}  # child pid -> the client that asked for it

    def handle(self, sock: socket.socket) -> None:
        message, fds = _receive(sock)
        if message is None:
            if sock is self.control:  # its creator is gone: so are we, and our workers
                for pid in self.owners:
                    system.kill(pid)
                os._exit(0)
            self.selector.unregister(sock)
            for pid, owner in list(self.owners.items()):
                if owner is sock:
                    system.kill(pid)
            sock.close()
        elif isinstance(message, NewClient):
            self.selector.register(socket.socket(fileno=fds[0]), selectors.EVENT_READ)
        elif isinstance(message, Prepare):
            try:
                _import(message.libraries)
            except Exception:  # noqa: BLE001 (the worker that needs it asks again, and is told why)
                pass
        elif isinstance(message, StartWorker):
            self._start(sock, lambda: _worker(fds), fds, message.libraries)
        elif isinstance(message, StartTrial):
            self._start(sock, lambda: _trial(fds), fds, [])

    def _start(self, client: socket.socket, body: Callable[[], None], fds: list[int], libraries: list[str]) -> None:
        """Fork a child that runs `body` with the client's descriptors; tell the client its pid, or
        why there is none (a fork the system refused is `busy`: the origin goes on)."""
        try:
            _import(libraries)
        except Exception as error:  # noqa: BLE001 (reported to the task, which treats it as the grader's fault)
            _close(fds)
            _send(client, StartFailed(f"the worker origin can't prepare a worker: {error}"))
            return
        try:
            pid = _fork(body)
        except OSError as error:
            _send(client, StartFailed(f"the system refused a new process ({error.strerror})", busy=True))
            return
        finally:
            _close(fds)
        self.owners[pid] = client
        _send(client, Started(pid))

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            owner = self.owners.pop(pid, None)
            if owner is not None:
                try:
                    _send(owner, Ended(pid, os.waitstatus_to_exitcode(status)))
                except OSError:
                    pass


def _import(libraries: list[str]) -> None:
    with system.quick_imports():
        for library in libraries:
            importlib.import_module(library)


def _worker(fds: list[int]) -> None:
    from .worker import serve

    connection = Connection(fds[0])
    serve(Channel(connection), {fds[0]})


def _trial(fds: list[int]) -> None:
    """A trial worker: read the instructions, confine, report what could be read."""
    order_r, found_w = fds
    system.close_fds_except({order_r, found_w})
    instructions = protocol.decode(_read_all(order_r, TRIAL_SECONDS))
    view = memoryview(protocol.encode(sandbox.probe(instructions)))
    while view:
        view = view[os.write(found_w, view):]


def _fork(body: Callable[[], None]) -> int:
    """Fork a child that runs `body` with the origin's loop and signals left behind."""
    gc.freeze()  # what is loaded so far stays out of the child's collections (and its pages shared)
    pid = os.fork()
    if pid == 0:
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            body()
        finally:
            os._exit(70)
    return pid


def _read_all(fd: int, timeout: float) -> bytes:
    """Everything written to a pipe until its other end closes; what came by `timeout` seconds."""
    chunks, deadline = [], time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0 and select.select([fd], [], [], left)[0]:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _close(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)


def _quiet() -> None:
    """The origin writes nothing to the terminal it may share with the grader."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)
    os.close(devnull)


# -- spawned (macOS, Windows, FASTQUIZ_WORKERS=spawn) -------------------------------------------------
class Spawner(WorkerFactory):
    """Workers as fresh interpreters. Starting one costs an import of torch, so a source keeps one
    warm ahead of need: it has imported what workers need and waits for its settings; when a unit
    needs a worker, the warm one takes the settings, and a new one starts warming. The first
    source's sandbox trial starts at once too, and waits for its instructions."""

    def __init__(self, clean: bool):
        self.clean = clean  # grade mode: workers start with a small, clean environment
        self._spare: tuple[BaseProcess, Connection] | None = _spawn_worker(clean)  # for the first source
        self._trial: tuple[BaseProcess, Connection] | None = _spawn(_trial_spawned, clean)  # and its trial

    def source(self) -> "SpawnSource":
        source = SpawnSource(self.clean, self._spare, self._trial)
        self._spare = self._trial = None
        return source

    def close(self) -> None:
        for waiting in (self._spare, self._trial):
            if waiting is not None:
                waiting[0].kill()
                waiting[0].join()
        self._spare = self._trial = None


class SpawnSource(WorkerSource):
    def __init__(self, clean: bool, spare: tuple[BaseProcess, Connection] | None = None,
                 trial: tuple[BaseProcess, Connection] | None = None):
        super().__init__()
        self.clean = clean
        self._spare = spare  # a worker warming, not yet handed out
        self._trial = trial  # a trial worker started ahead, for the first trial
        self._running: dict[int, BaseProcess] = {}

    def _start(self, settings: WorkerSettings) -> tuple[int, Channel]:
        """The warm worker (or a new one), handed out only once its imports are done, so that its
        CPU time from then on is its answers'."""
        process, connection = self._spare or _spawn_worker(self.clean)
        self._spare = None
        try:
            if not connection.poll(START_SECONDS) or connection.recv_bytes() != b"warm":
                raise OSError("it did not finish its imports")
            connection.send_bytes(protocol.encode(settings))
        except (OSError, EOFError) as error:
            process.kill()
            raise WorkersUnavailable(f"a spawned worker did not start ({error})") from None
        pid = cast(int, process.pid)
        self._running[pid] = process
        try:
            self._spare = _spawn_worker(self.clean)  # warming in the background for the next one
        except SystemBusy:
            self._spare = None  # the next start tries again
        return pid, Channel(connection, on_stuck=process.kill)

    def start_trial(self, instructions: Trial) -> Callable[[], Preflight]:
        process, connection = self._trial or _spawn(_trial_spawned, self.clean)
        self._trial = None
        try:
            connection.send_bytes(protocol.encode(instructions))
        except OSError as error:
            process.kill()
            raise WorkersUnavailable(f"the sandbox's trial worker failed ({error})") from None

        def found() -> Preflight:
            try:
                if not connection.poll(START_SECONDS):
                    raise WorkersUnavailable("the sandbox's trial worker did not answer")
                return protocol.decode(connection.recv_bytes())
            except (OSError, EOFError) as error:
                raise WorkersUnavailable(f"the sandbox's trial worker failed ({error})") from None
            finally:
                process.join(5)
                process.kill()
        return found

    def wait(self, pid: int, timeout: float) -> int | None:
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

    def close(self) -> None:
        self.bury()
        for process in [*self._running.values(), *[waiting[0] for waiting in (self._spare, self._trial) if waiting]]:
            process.kill()
            process.join()
        self._running.clear()
        self._spare = self._trial = None


def _spawn_worker(clean: bool) -> tuple[BaseProcess, Connection]:
    return _spawn(_spawned_worker, clean)


def _spawned_worker(connection: Connection) -> None:
    """A spawned worker's first step (this module loads without torch): its imports, then `worker.spawned`."""
    with system.quick_imports():
        from .worker import spawned

    spawned(connection)


def _spawn(target: Callable[[Connection], None], clean: bool) -> tuple[BaseProcess, Connection]:
    mine, theirs = SPAWN.Pipe()
    process = SPAWN.Process(target=target, args=(theirs,), daemon=True)
    try:
        with sandbox.spawn_environment(clean), system.without_main():
            process.start()
    except OSError as error:
        mine.close()
        raise SystemBusy(f"the system refused a new process ({error.strerror})") from None
    finally:
        theirs.close()
    return process, mine


def _trial_spawned(connection: Connection) -> None:
    instructions = protocol.decode(connection.recv_bytes())
    connection.send_bytes(protocol.encode(sandbox.probe(instructions)))


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
