"""The worker: the only process that runs a student's code.

A check never touches student code directly. `Student` (in `student.py`) forks a worker
for each question; the worker loads the student's file and serves requests over two
pipes. Requests (grader -> worker) are pickles: the grader trusts the worker with its
arguments. Replies (worker -> grader) are `wire` JSON: plain values only, so nothing the
student defined ever runs in the process that decides points.

Before it serves, the worker closes every other file descriptor it inherited (the pipe
that carries results to the grader among them) and applies the `Limits`: memory, CPU
time, size of files and output, and, where the system allows, no network and an
unprivileged user.
"""
from __future__ import annotations

import ctypes
import io
import os
import pickle
import resource
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from . import wire

CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
FIRST_UID = 100000  # a worker in grade mode runs as FIRST_UID + its pid: a user of its own
PRIVATE_TMP = ("/tmp", "/var/tmp", "/dev/shm")


@dataclass(frozen=True)
class Limits:
    """What one question's worker may use."""

    memory_mb: int = 2048       # address space on top of what the worker starts with
    cpu_seconds: int = 60
    file_mb: int = 8            # largest file it may write, its captured output included
    isolate: bool = False       # grade mode: see `_isolate`
    hide: tuple[str, ...] = ()  # grade mode: paths the worker must not see (answer keys, submissions)


class Request:
    """What the grader asks the worker: an operation on a target (the module or a handle)."""

    def __init__(self, op: str, target: int | None, name: str = "", args: tuple = (), kwargs: dict | None = None,
                 modules: dict[int, nn.Module] | None = None):
        self.op, self.target, self.name, self.args, self.kwargs = op, target, name, args, kwargs or {}
        self.modules = modules or {}  # grader-side id -> module, sent along so the worker can report their state
        self.grads = {key: t.grad for key, t in tensor_arguments(args) if t.grad is not None}  # pickles drop .grad


def serve(path: Path, requests: int, replies: int, limits: Limits, scratch: Path) -> None:
    """The worker's main loop; never returns."""
    _close_fds_except({requests, replies})
    _confine(limits, scratch)
    server = _Server(path, requests, replies)
    while True:
        try:
            frame = wire.receive_bytes(requests)
        except EOFError:
            os._exit(0)
        server.handle(frame)


class _Server:
    def __init__(self, path: Path, requests: int, replies: int):
        self.path, self.requests, self.replies = path, requests, replies
        self.objects: dict[int, Any] = {}
        self.modules: dict[int, nn.Module] = {}  # grader-origin modules, by the grader's id
        self.states: dict[int, dict[str, torch.Tensor]] = {}  # their state as the grader last saw it
        self.module = None

    def keep(self, obj: Any) -> int:
        self.objects[id(obj)] = obj
        return id(obj)

    def handle(self, frame: bytes) -> None:
        """Answer one request. Besides its value, the reply carries what the call changed in the
        grader's objects: the values and gradients of tensor arguments, the state of modules."""
        encoder = wire.Encoder(self.keep)
        try:
            request: Request = _Unpickler(io.BytesIO(frame), self).load()
            for key, module in request.modules.items():
                self.modules[key], self.states[key] = module, _copy_state(module)
            arguments = tensor_arguments(request.args)
            for key, tensor in arguments:
                tensor.grad = request.grads.get(key)
            before = {key: (_copy(tensor), _copy(tensor.grad)) for key, tensor in arguments}
            value = self._run(request)
            reply = {"value": self._encode_result(value, request, encoder),
                     "arguments": {key: change for key, tensor in arguments
                                   if (change := _changes(tensor, *before[key], encoder))}}
        except BaseException as error:  # noqa: BLE001 (whatever the student's code raises is reported)
            reply = {"error": self._describe(error)}
        reply["modules"] = self._changed_modules(encoder)
        wire.write_message(self.replies, reply, encoder.buffers)

    def _changed_modules(self, encoder: wire.Encoder) -> dict:
        """The state of each grader-origin module that differs from what the grader last saw."""
        changed = {}
        for key, module in self.modules.items():
            state, last = module.state_dict(), self.states[key]
            if state.keys() != last.keys() or not all(_same(state[name], last[name]) for name in state):
                self.states[key] = _copy_state(module)
                changed[str(key)] = encoder.encode(self.states[key])
        return changed

    def _run(self, request: Request) -> Any:
        if self.module is None:
            self.module = _load(self.path)
        target = self.module if request.target is None else self.objects[request.target]
        if request.op == "get":
            return getattr(target, request.name)
        if request.op == "call":
            return target(*request.args, **request.kwargs)
        if request.op == "callable":
            return callable(target)
        if request.op == "isinstance":
            return isinstance(target, _resolve(request.name))
        raise ValueError(f"unknown request {request.op!r}")

    def _encode_result(self, value: Any, request: Request, encoder: wire.Encoder) -> Any:
        for index, arg in enumerate(request.args):
            if value is arg and isinstance(arg, (torch.Tensor, nn.Module)):
                return {"argument": index}  # the grader gets its own object back, updated
        return encoder.encode(value)

    def _describe(self, error: BaseException) -> dict:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == self.path]
        text = str(error).strip().splitlines()
        return {
            "type": type(error).__name__,
            "message": text[0] if text else "",
            "line": frames[-1].lineno if frames else None,
            "in_student": bool(frames),
        }


class _Unpickler(pickle.Unpickler):
    """Turns the grader's stand-ins back into objects: handles, and callbacks to the grader."""

    def __init__(self, file, server: _Server):
        super().__init__(file)
        self.server = server

    def persistent_load(self, pid):
        kind, value = pid
        if kind == "handle":
            return self.server.objects[value]
        if kind == "callback":
            return _Callback(value, self.server)
        raise pickle.UnpicklingError(f"unknown reference {kind!r}")


class _Callback:
    """A grader function that student code calls: the call runs in the grader."""

    def __init__(self, number: int, server: _Server):
        self.number, self.server = number, server

    def __call__(self, *args, **kwargs):
        encoder = wire.Encoder(self.server.keep)
        wire.write_message(self.server.replies, {"callback": self.number, "args": encoder.encode([list(args), kwargs])},
                           encoder.buffers)
        answer = pickle.loads(wire.receive_bytes(self.server.requests))
        if "raise" in answer:
            raise RuntimeError(answer["raise"])
        return answer["return"]


def tensor_arguments(args: tuple) -> list[tuple[str, torch.Tensor]]:
    """The tensors among the arguments and the items of list or tuple arguments, keyed "i" or "i.j"."""
    found = []
    for index, arg in enumerate(args):
        items = enumerate(arg) if isinstance(arg, (list, tuple)) else [(None, arg)]
        found += [(f"{index}" if inner is None else f"{index}.{inner}", item)
                  for inner, item in items if isinstance(item, torch.Tensor)]
    return found


RAW_DTYPES = {dtype: str(torch.empty(0, dtype=dtype).numpy().dtype) for dtype in
              (torch.float64, torch.float32, torch.float16, torch.int64, torch.int32, torch.int16, torch.int8,
               torch.uint8, torch.bool)}  # torch dtype -> numpy's name for it


def tensor_from_bytes(data: bytes, dtype: str, shape: tuple[int, ...], requires_grad: bool) -> torch.Tensor:
    """A tensor the grader sent as raw bytes (see `student._RequestPickler`)."""
    tensor = torch.from_numpy(np.frombuffer(bytearray(data), dtype=dtype).reshape(shape))
    return tensor.requires_grad_(requires_grad)


def _copy(tensor: torch.Tensor | None) -> torch.Tensor | None:
    return None if tensor is None else tensor.detach().clone()


def _copy_state(module: nn.Module) -> dict[str, torch.Tensor]:
    return {name: tensor.detach().clone() for name, tensor in module.state_dict().items()}


def _same(a: torch.Tensor | None, b: torch.Tensor | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.dtype == b.dtype and a.shape == b.shape and bool(torch.equal(a, b))


def _changes(tensor: torch.Tensor, data: torch.Tensor, grad: torch.Tensor | None, encoder: wire.Encoder) -> dict:
    """What a call changed of a tensor argument, given copies from before it: its values, its
    gradient (None: cleared), both, or nothing."""
    change = {}
    if not _same(tensor, data):
        change["data"] = encoder.encode(tensor)
    if not _same(tensor.grad, grad):
        change["grad"] = encoder.encode(tensor.grad)
    return change


def _load(path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"student_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _resolve(qualified: str) -> type:
    module, _, name = qualified.rpartition(".")
    obj = sys.modules[module]
    return getattr(obj, name)


def _close_fds_except(keep: set[int]) -> None:
    for fd in sorted(int(n) for n in os.listdir("/proc/self/fd") if n.isdigit()):
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _confine(limits: Limits, scratch: Path) -> None:
    """Limits, output into scratch/output.txt (capped by the file-size limit), and (grade mode) isolation."""
    torch.set_num_threads(1)
    fd = os.open(scratch / "output.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # Python's own streams may wrap a descriptor that was just closed (a caller's capture file)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", buffering=1, closefd=False)
    sys.stderr = open(2, "w", buffering=1, closefd=False)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails with EFBIG instead of killing
    os.chdir(scratch)
    if limits.isolate:
        _isolate(scratch, limits.hide)
    vsize = _address_space()
    resource.setrlimit(resource.RLIMIT_AS, (vsize + limits.memory_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.environ.update(TMPDIR=".", HOME=".")


def _isolate(scratch: Path, hide: tuple[str, ...]) -> None:
    """Grade mode, where the system allows it (as root, here): a network namespace with no
    network; a mount namespace where the hidden paths are empty and /tmp, /var/tmp and
    /dev/shm are fresh, private tmpfs (with the worker's scratch folder mounted back at its
    own path); then a user of its own, which can't signal other workers or read root's
    files, with a cap on its processes. The scratch folder stays root's, writable through the
    worker's group and sticky: the worker adds files there, but can't rename or replace what
    the grader made (the shared folder, which checks write into as root). Elsewhere it runs
    with what it has."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS | CLONE_NEWNET) == 0:
        libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None)
        empty = scratch / ".empty"
        empty.mkdir()
        for path in hide:
            source = empty if os.path.isdir(path) else Path(os.devnull)
            libc.mount(bytes(source), os.fsencode(path), None, MS_BIND, None)
        for tmp in PRIVATE_TMP:
            libc.mount(b"tmpfs", tmp.encode(), b"tmpfs", 0, b"size=64m")
        os.makedirs(scratch, exist_ok=True)  # the scratch folder back at its own path, over the new tmpfs
        libc.mount(b"/proc/self/cwd", bytes(scratch), None, MS_BIND, None)
    if os.geteuid() == 0:
        uid = FIRST_UID + os.getpid()
        os.chown(".", 0, uid)
        os.chmod(".", 0o1770)
        os.chown("output.txt", uid, uid)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        resource.setrlimit(resource.RLIMIT_NPROC, (64, 64))


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
