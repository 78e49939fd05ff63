"""The worker origin: the warm process every worker is forked from.

The origin imports torch and numpy (and matplotlib once an answer needs it), and never a
check module, a hidden check, an answer key, a model answer or a submission: a worker's
memory holds its own answers and nothing graded. In check mode it may be a fork of the
calling process, when that has loaded none of those yet; otherwise, and always in grade
mode, it is a fresh interpreter started with a small, clean environment (no tokens or keys
of the grader's), so that not even the bytes of the grader's environment are in its memory.

Tasks ask it for workers over sockets of their own (`Client`), handing over the two pipe
ends the worker will use; it forks, reaps, and tells each task when one of its workers ended
and how. When the controller goes, the origin and its workers go too.
"""
from __future__ import annotations

import atexit
import gc
import importlib
import importlib.util
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from typing import Protocol, cast

from . import messages, sandbox, system
from .channel import Channel, PipeChannel
from .messages import Preflight, WorkerSettings

UNSAFE_MODULES = ("fastquiz.grader.checks.", "fastquiz.solutions.", "fastquiz.reference.", "fastquiz.exercises.",
                  "fastquiz_hidden_checks")  # a process that loaded one of these can't be forked into an origin
LAZY_MODULES = ("cProfile", "pstats", "torch._dynamo", "torch.utils.data", "matplotlib.backends.backend_agg")
START_SECONDS = 120  # a fresh origin's import of torch, on a slow, busy machine
PREFLIGHT_SECONDS = 60


class OriginError(Exception):
    """The origin could not be started, or stopped answering."""


class WorkerClient(Protocol):
    """Where a task gets its workers: a fork origin's `Client`, or a `spawner.SpawnClient`."""

    def start(self, settings: WorkerSettings) -> tuple[int, Channel]:
        """Start a worker; its pid, and the channel to it."""

    def wait(self, pid: int, timeout: float) -> int | None:
        """The worker's exit code (negative: the signal) once it has ended, or None after `timeout` seconds."""

    def kill(self, pid: int) -> None:
        ...

    def unreadable(self, paths: list[str], settings: WorkerSettings) -> list[str]:
        """Which of `paths` a worker confined like one with these settings can't read."""

    def close(self) -> None:
        ...


class WorkerOrigin(Protocol):
    """A grading run's source of workers: an `Origin` (fork server), or a `spawner.SpawnOrigin`."""

    def client(self) -> WorkerClient:
        ...

    def preflight(self, folder: str, hide: tuple[str, ...]) -> Preflight:
        """Try the sandbox once, from inside a worker."""

    def alive(self) -> bool:
        ...

    def close(self) -> None:
        ...


class Origin:
    """The controller's handle on a running origin."""

    def __init__(self, pid: int, control: socket.socket, process: subprocess.Popen | None):
        self.pid, self.control, self.process = pid, control, process
        self._preflights: dict[tuple[str, ...], Preflight] = {}

    def client(self) -> "Client":
        """A new channel to the origin, for a task."""
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        messages.send(self.control, {"client": True}, (theirs.fileno(),))
        theirs.close()
        return Client(mine)

    def preflight(self, folder: str, hide: tuple[str, ...]) -> Preflight:
        """Try the sandbox once, from inside a worker (see `_preflight`); kept per set of hidden paths."""
        if hide not in self._preflights:
            settings = WorkerSettings(folder=folder, answers={}, loadable=[], rules=[], hide=list(hide))
            messages.send(self.control, {"preflight": settings.as_dict()})
            self.control.settimeout(PREFLIGHT_SECONDS)
            try:
                reply, _ = messages.receive(self.control)
            except (TimeoutError, OSError) as error:
                raise OriginError(f"the worker origin did not answer ({error})") from None
            finally:
                self.control.settimeout(None)
            if reply is None:
                raise OriginError("the worker origin ended while trying the sandbox")
            self._preflights[hide] = Preflight(**reply)
        return self._preflights[hide]

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
        environment = sandbox.clean_environment(dict(os.environ)) if clean else dict(os.environ)
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
        """Start a worker; its pid, and the channel to it."""
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        try:
            messages.send(self.sock, {"start": settings.as_dict()}, (request_r, reply_w))
            while True:
                reply = self._next(None)
                if reply is None:
                    raise OriginError("the worker origin is gone")
                if "started" in reply:
                    return int(reply["started"]), PipeChannel(reply_r, request_w)
                if "failed" in reply:
                    raise OriginError(reply["failed"])
        except BaseException:
            for fd in (reply_r, request_w):
                os.close(fd)
            raise
        finally:
            os.close(request_r)
            os.close(reply_w)

    def kill(self, pid: int) -> None:
        system.kill(pid)

    def close(self) -> None:
        self.sock.close()

    def unreadable(self, paths: list[str], settings: WorkerSettings) -> list[str]:
        """Which of `paths` a worker confined like one with these settings can't read."""
        messages.send(self.sock, {"preflight": settings.as_dict(), "paths": paths})
        while True:
            reply = self._next(PREFLIGHT_SECONDS)
            if reply is None:
                raise OriginError("the worker origin did not answer")
            if "unreadable" in reply:
                return reply["unreadable"]

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
    import torch

    from . import worker  # noqa: F401 (loaded here, so that every worker has it without reading its file)

    torch.set_num_threads(1)  # see DEVELOPERS.md: a forked child's first parallel op hangs otherwise
    system.die_with_parent()
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
        self.owners: dict[int, socket.socket] = {}  # worker pid -> the client that started it
        self.protected = sandbox.package_folders()
        self._rules: dict[tuple[str, ...], list[tuple[str, int]]] = {}

    def environment(self, hide: list[str]) -> list[tuple[str, int]]:
        key = tuple(hide)
        if key not in self._rules:
            self._rules[key] = sandbox.worker_environment(list(hide))
        return self._rules[key]

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
            self._start(sock, WorkerSettings.from_dict(message["start"]), fds)
        elif "preflight" in message:
            messages.send(sock, _preflight(WorkerSettings.from_dict(message["preflight"]), self, message.get("paths")))

    def _start(self, client: socket.socket, settings: WorkerSettings, fds: list[int]) -> None:
        from .worker import serve_forked

        try:
            for library in settings.libraries:
                importlib.import_module(library)
            rules = self.environment(settings.hide)
        except Exception as error:  # noqa: BLE001 (reported to the task, which treats it as the grader's fault)
            messages.send(client, {"failed": f"the worker origin can't prepare a worker: {error}"})
            _close(fds)
            return
        request_r, reply_w = fds
        pid = _fork(lambda: serve_forked(settings, request_r, reply_w, rules), self)
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


def _fork(body, state: _State) -> int:
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


def _preflight(settings: WorkerSettings, state: _State, paths: list[str] | None) -> dict:
    """Fork a worker that confines itself as every worker does, then reports what it could read
    (see `trial` and `probe`)."""
    rules = state.environment(settings.hide)
    samples, protected = trial(rules, state.protected + settings.hide, paths)
    read_end, write_end = os.pipe()

    def run_probe() -> None:
        os.close(read_end)
        system.close_fds_except({write_end})
        os.write(write_end, json.dumps(probe(settings, rules, samples, protected)).encode())

    pid = _fork(run_probe, state)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    state.reap()
    if not data:
        return Preflight(sandbox.Isolation(missing=("the sandbox's trial worker failed",)).as_dict(), [], []).__dict__
    return json.loads(data)


def trial(rules: list[tuple[str, int]], protected: list[str], paths: list[str] | None) -> tuple[list[str], list[str]]:
    """What a trial worker should read (`paths`, or samples of every folder of the environment,
    among those this process can read: none may be missing) and what it must not (the files of
    the protected folders)."""
    if paths is None:
        paths = sandbox.sample_paths(rules)
        paths += [spec.origin for name in LAZY_MODULES if (spec := _find(name)) and spec.origin]
    return [p for p in paths if sandbox.readable(p)], [path for folder in protected for path in _contents(folder)]


def probe(settings: WorkerSettings, rules: list[tuple[str, int]], samples: list[str], protected: list[str]) -> dict:
    """In a trial worker: confine this process as a worker is confined, then report (a `Preflight`)."""
    isolation = sandbox.confine(rules + settings.rules + [(settings.folder, sandbox.READ | sandbox.WRITE)],
                                settings.memory_mb, settings.cpu_seconds, settings.file_mb)
    return Preflight(isolation.as_dict(), [p for p in samples if not sandbox.readable(p)],
                     [p for p in protected if sandbox.readable(p)]).__dict__


def _contents(path: str, most: int = 5) -> list[str]:
    """A protected path's files (what must stay unreadable: a folder's listing may show, as names)."""
    if os.path.isfile(path):
        return [path]
    try:
        return [os.path.join(path, n) for n in sorted(os.listdir(path))[:most] if os.path.isfile(os.path.join(path, n))]
    except OSError:
        return []


def _find(name: str):
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


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
