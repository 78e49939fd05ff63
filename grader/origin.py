"""The worker origin: the warm process every worker is forked from.

The origin imports torch and numpy (and matplotlib once an answer needs it), and never a
check module, a hidden check, an answer key, a model answer or a submission: a worker's
memory holds its own answers and nothing graded. In check mode it may be a fork of the
calling process, when that has loaded none of those yet; otherwise, and always in grade
mode, it is a fresh interpreter started with a small, clean environment (no tokens or keys
of the grader's), so that not even the bytes of the grader's environment are in its memory.

Tasks ask it for workers over sockets of their own (`Client`), handing over the two pipe
ends the worker will use; it forks, reaps, and tells each task when one of its workers ended
and how. It never reads what a worker is told: the task sends a worker its settings (its
folder, its answers' names, its Landlock rules) down the worker's own pipe, and a trial
worker its instructions (which protected paths it must not read) likewise, so that nothing
of one worker, or of the run's other submissions, stays in the memory the next worker is
forked from. A fork the system refuses (no process ids left) is reported to the task, and
the origin goes on. When the controller goes, the origin and its workers go too.
"""
from __future__ import annotations

import atexit
import gc
import importlib
import json
import os
import select
import selectors
import signal
import socket
import subprocess
import sys
import time
from typing import Callable, Protocol, cast

from . import messages, sandbox, system
from .channel import Channel, PipeChannel
from .messages import Preflight, Trial, WorkerSettings

UNSAFE_MODULES = ("fastquiz.grader.checks.", "fastquiz.solutions.", "fastquiz.reference.", "fastquiz.exercises.",
                  "fastquiz_hidden_checks")  # a process that loaded one of these can't be forked into an origin
START_SECONDS = 120  # a fresh origin's import of torch, on a slow, busy machine
PREFLIGHT_SECONDS = 60


class OriginError(Exception):
    """The origin could not be started, or stopped answering."""


class OriginBusy(OriginError):
    """The system would not start another process just now (out of process ids): try again later."""


class WorkerClient(Protocol):
    """Where a task gets its workers: a fork origin's `Client`, or a `spawner.SpawnClient`."""

    def start(self, settings: WorkerSettings) -> tuple[int, Channel]:
        """Start a worker and send it its settings (its first frame); its pid, and the channel to it."""

    def trial(self, instructions: Trial) -> Preflight:
        """What a worker confined by `instructions.settings` can and can't read (see `sandbox.probe`)."""

    def wait(self, pid: int, timeout: float) -> int | None:
        """The worker's exit code (negative: the signal) once it has ended, or None after `timeout` seconds."""

    def kill(self, pid: int) -> None:
        ...

    def close(self) -> None:
        ...


class WorkerOrigin(Protocol):
    """A grading run's source of workers: an `Origin` (fork server), or a `spawner.SpawnOrigin`."""

    def client(self) -> WorkerClient:
        ...

    def trial(self, instructions: Trial) -> Preflight:
        """What a worker confined by `instructions.settings` can and can't read (see `sandbox.probe`)."""

    def alive(self) -> bool:
        ...

    def close(self) -> None:
        ...


class Origin:
    """The controller's handle on a running origin."""

    def __init__(self, pid: int, control: socket.socket, process: subprocess.Popen | None):
        self.pid, self.control, self.process = pid, control, process

    def client(self) -> "Client":
        """A new channel to the origin, for a task."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        messages.send(self.control, {"client": True}, (theirs.fileno(),))
        theirs.close()
        return Client(mine)

    def trial(self, instructions: Trial) -> Preflight:
        client = self.client()
        try:
            return client.trial(instructions)
        finally:
            client.close()

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def close(self) -> None:
        self.control.close()
        system.kill(self.pid)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


_origins: dict[tuple[bool, str], WorkerOrigin] = {}


def origin_for(clean: bool) -> WorkerOrigin:
    """The process's origin for check mode (`clean` False) or grade mode (True), started on first
    use and kept for later runs; where workers can't be forked, a `spawner.SpawnOrigin`."""
    key = (clean, system.start_method())
    origin = _origins.get(key)
    if origin is None or not origin.alive():
        if key[1] == "spawn":
            from .spawner import SpawnOrigin

            _origins[key] = origin = SpawnOrigin(clean)
        else:
            _origins[key] = origin = start(clean)
    return origin


@atexit.register
def close_origins() -> None:
    """End the origins this process started (the next grading starts new ones, from the environment then)."""
    for origin in _origins.values():
        origin.close()
    _origins.clear()


def start(clean: bool) -> Origin:
    """Start an origin: a fork of this process when that is safe and allowed, else a fresh interpreter."""
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    process = None
    if not clean and not any(m.startswith(UNSAFE_MODULES) for m in sys.modules):
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
        environment = sandbox.clean_environment(dict(os.environ)) if clean else dict(os.environ) | sandbox.ONE_THREAD
        process = subprocess.Popen([sys.executable, "-m", "fastquiz.grader.origin", str(theirs.fileno())],
                                   pass_fds=(theirs.fileno(),), env=environment, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, cwd="/")
        pid = process.pid
    theirs.close()
    origin = Origin(pid, mine, process)
    mine.settimeout(START_SECONDS)
    try:
        hello, _ = messages.receive(mine)
    except (TimeoutError, OSError):
        hello = None
    finally:
        mine.settimeout(None)
    if hello != {"ready": True}:
        origin.close()
        raise OriginError("the worker origin did not start: "
                          f"try `{sys.executable} -m fastquiz.grader.origin` to see why")
    return origin


class Client:
    """A task's channel to the fork origin: start workers, learn when they end."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.ended: dict[int, int] = {}  # pid -> exit code (negative: the signal), as the origin reports them

    def start(self, settings: WorkerSettings) -> tuple[int, Channel]:
        """Start a worker and send it its settings; its pid, and the channel to it. The origin sees
        only which libraries to import first: the rest goes straight to the worker."""
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        try:
            pid = self._fork({"start": {"libraries": settings.libraries}}, (request_r, reply_w))
            channel = PipeChannel(reply_r, request_w)
            channel.send(json.dumps(settings.as_dict()).encode(), time.monotonic() + START_SECONDS)
            return pid, channel
        except BaseException:
            for fd in (reply_r, request_w):
                os.close(fd)
            raise
        finally:
            os.close(request_r)
            os.close(reply_w)

    def trial(self, instructions: Trial) -> Preflight:
        """Fork a trial worker, hand it `instructions` and wait for what it found; the origin never
        reads them (they name what workers must not read)."""
        order_r, order_w = os.pipe()
        found_r, found_w = os.pipe()
        try:
            self._fork({"trial": True}, (order_r, found_w))
            os.close(order_r)
            os.close(found_w)
            order_r = found_w = -1
            with os.fdopen(order_w, "wb") as order:
                order_w = -1
                order.write(json.dumps(instructions.as_dict()).encode())
            found = _read_all(found_r, PREFLIGHT_SECONDS)
        finally:
            for fd in (order_r, order_w, found_r, found_w):
                if fd >= 0:
                    os.close(fd)
        if not found:
            raise OriginError("the sandbox's trial worker ended without a word")
        return Preflight.from_dict(json.loads(found))

    def _fork(self, order: dict, fds: tuple[int, int]) -> int:
        """Ask the origin to fork a child with these two descriptors; its pid."""
        messages.send(self.sock, order, fds)
        while True:
            reply = self._next(START_SECONDS)
            if reply is None:
                raise OriginError("the worker origin is gone or did not answer")
            if "started" in reply:
                return int(reply["started"])
            if "failed" in reply:
                raise (OriginBusy if reply.get("busy") else OriginError)(reply["failed"])

    def kill(self, pid: int) -> None:
        system.kill(pid)

    def close(self) -> None:
        self.sock.close()

    def wait(self, pid: int, timeout: float) -> int | None:
        """The worker's exit code (negative: the signal) once it has ended, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while pid not in self.ended:
            left = deadline - time.monotonic()
            if left <= 0 or self._next(left) is None:
                return None
        return self.ended.pop(pid)

    def _next(self, timeout: float | None) -> dict | None:
        """The next message that is not an `ended` notice (those are kept); None on timeout or EOF."""
        self.sock.settimeout(timeout)
        try:
            message, fds = messages.receive(self.sock)
        except (TimeoutError, BlockingIOError):
            return None
        finally:
            self.sock.settimeout(None)
        for fd in fds:
            os.close(fd)
        if message is not None and "ended" in message:
            self.ended[int(message["ended"])] = int(message["status"])
            return {}
        return message


# -- the origin's side ---------------------------------------------------------------------------
def serve(control: socket.socket) -> None:
    """The origin's loop: start workers for its clients until the controller goes; never returns."""
    from . import worker  # noqa: F401 (loaded here, so that every worker has it without reading its file)

    sandbox.one_thread()  # a forked child of a process that ran a parallel op hangs on its own first one otherwise
    system.die_with_parent()
    system.name_process("fastquiz-origin")
    _quiet()
    wakeup_r, wakeup_w = os.pipe()
    os.set_blocking(wakeup_w, False)
    signal.set_wakeup_fd(wakeup_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    state = _State(control, wakeup_r, wakeup_w)
    messages.send(control, {"ready": True})
    while True:
        for key, _ in state.selector.select():
            if key.fileobj == wakeup_r:
                os.read(wakeup_r, 4096)
                state.reap()
            else:
                state.handle(cast(socket.socket, key.fileobj))


class _State:
    def __init__(self, control: socket.socket, wakeup_r: int, wakeup_w: int):
        self.control, self.wakeup = control, (wakeup_r, wakeup_w)
        self.selector = selectors.DefaultSelector()
        self.selector.register(control, selectors.EVENT_READ)
        self.selector.register(wakeup_r, selectors.EVENT_READ)
        self.owners: dict[int, socket.socket] = {}  # child pid -> the client that asked for it

    def handle(self, sock: socket.socket) -> None:
        message, fds = messages.receive(sock)
        if message is None:
            if sock is self.control:  # the controller is gone: so are we, and our workers
                for pid in self.owners:
                    system.kill(pid)
                os._exit(0)
            self.selector.unregister(sock)
            for pid, owner in list(self.owners.items()):
                if owner is sock:
                    system.kill(pid)
            sock.close()
        elif "client" in message:
            client = socket.socket(fileno=fds[0])
            self.selector.register(client, selectors.EVENT_READ)
        elif "start" in message:
            self._start(sock, lambda: _worker(message["start"], fds), fds, message["start"]["libraries"])
        elif "trial" in message:
            self._start(sock, lambda: _trial(fds), fds, [])

    def _start(self, client: socket.socket, body: Callable[[], None], fds: list[int], libraries: list[str]) -> None:
        """Fork a child that runs `body` with the client's descriptors; tell the client its pid, or
        why there is none (a fork the system refused is `busy`: the origin goes on)."""
        try:
            for library in libraries:
                importlib.import_module(library)
        except Exception as error:  # noqa: BLE001 (reported to the task, which treats it as the grader's fault)
            messages.send(client, {"failed": f"the worker origin can't prepare a worker: {error}"})
            _close(fds)
            return
        try:
            pid = _fork(body)
        except OSError as error:
            messages.send(client, {"failed": f"the system refused a new process ({error.strerror})", "busy": True})
            return
        finally:
            _close(fds)
        self.owners[pid] = client
        messages.send(client, {"started": pid})

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
                    messages.send(owner, {"ended": pid, "status": os.waitstatus_to_exitcode(status)})
                except OSError:
                    pass


def _worker(order: dict, fds: list[int]) -> None:
    from .worker import serve_forked

    serve_forked(*fds)


def _trial(fds: list[int]) -> None:
    """A trial worker: read the instructions, confine, report what could be read."""
    order_r, found_w = fds
    system.close_fds_except({order_r, found_w})
    instructions = Trial.from_dict(json.loads(_read_all(order_r, PREFLIGHT_SECONDS)))
    found = json.dumps(sandbox.probe(instructions).as_dict()).encode()
    view = memoryview(found)
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


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
