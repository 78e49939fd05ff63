"""The worker: the only process that runs a student's code.

A worker is forked by the origin (`origin.py`) from a process that has imported torch and
nothing graded. It loads the answer files it is given (one question's, or several questions'
of one submission, one after another) and serves requests over two pipes. Requests (task ->
worker) are pickles, the bytes of their tensors following as frames of their own
(`request_frame`): the grader trusts the worker with its arguments. Replies (worker ->
task) are `wire` messages: plain values only, so nothing the student defined ever runs in
the process that decides points. This module knows nothing of checks.

Before any student code runs, `serve` closes every inherited descriptor, sends the output to
a file, keeps a small set of environment variables, installs the import guard (an answer
imports from fastquiz only the names its stub imports) and confines the process for good
(`sandbox.confine`).
"""
from __future__ import annotations

import builtins
import errno
import gc
import importlib
import importlib.abc
import importlib.util
import io
import os
import pickle
import random
import struct
import sys
import tempfile
import traceback
import types
from pathlib import Path
from typing import Any, Callable, NamedTuple

import numpy as np
import numpy.random  # noqa: F401 (numpy loads it lazily: here, in the origin, not again in each worker)
import torch
from torch import nn

from . import protocol, sandbox, system, wire
from .channel import Channel
from .protocol import WorkerSettings

SEED = 0
REFUSALS = (errno.EPERM, errno.EACCES, errno.ENOSYS, errno.EOPNOTSUPP)  # how the sandbox says no (see seccomp.py)
LOADED_FUNCTIONS = 64  # the most functions of an answer whose handles its load sends back (see `_functions`)
ANSWER_PREFIX = "fastquiz_answer_"  # the module name of an answer file, before its own name
_ORIGIN_ENVIRONMENT = dict(os.environ)  # as the origin started: read before a worker clears it


class Request(NamedTuple):
    """What a task asks the worker: an operation on a target (an answer module, or a handle). Sent
    as the plain tuple of its fields: pickle's way with a named tuple takes a third of a small
    request's time (see `student._RequestPickler`)."""

    op: str
    answer: str
    target: int | None
    name: str = ""
    args: tuple = ()
    kwargs: dict[str, Any] = {}
    modules: dict[int, nn.Module] = {}  # task-side id -> module, sent along so the worker can report their state
    png: bool = False
    grads: dict[str, torch.Tensor] = {}  # the tensor arguments' gradients, by `tensor_arguments` key (pickles drop .grad)


def request_frame(pickled: bytes, sizes: list[int]) -> bytes:
    """A request's frame: how many arrays of bytes follow it as frames of their own (its tensors'
    bytes, out of the pickle: see `student._RequestPickler`), their sizes, then the pickle."""
    return struct.pack(f"!I{len(sizes)}Q", len(sizes), *sizes) + pickled


def read_request(frame: bytes | bytearray, receive_into: Callable[[int], bytearray]) -> tuple[io.BytesIO, list[bytearray]]:
    """A request's pickle, and the arrays of bytes that came after its frame, each read straight into
    a bytearray that the tensor it belongs to takes over (see `request_frame`)."""
    (count,) = struct.unpack_from("!I", frame)
    sizes = struct.unpack_from(f"!{count}Q", frame, 4)
    pickled = io.BytesIO(frame)
    pickled.seek(4 + 8 * count)
    return pickled, [receive_into(size) for size in sizes]


def stand_in(kind: str, value: Any) -> Any:
    """What a request's pickle holds in place of the worker's own objects ("handle") and of a check's
    functions that the answer may call back ("callback"): only a worker's unpickler resolves it."""
    raise pickle.UnpicklingError(f"a {kind} stand-in outside a worker's request")


def serve(channel: Channel, keep: set[int]) -> None:
    """The worker's life once started (forked or spawned): take its settings (the first frame on
    `channel`), set up, confine, answer requests; never returns. `keep`: the descriptors the
    channel uses."""
    system.die_with_parent()
    system.name_process("fastquiz-worker")
    system.new_process_group()
    system.close_fds_except(keep)
    settings = protocol.decode(channel.receive())
    with system.quick_imports():
        for library in settings.libraries:  # a forked worker's origin imported them already
            importlib.import_module(library)
    folder = Path(settings.folder)
    _redirect_output(folder / "output.txt")
    work = folder / "work"
    os.chdir(work)
    os.environ.clear()
    os.environ.update(sandbox.clean_environment(_ORIGIN_ENVIRONMENT), TMPDIR=str(work), HOME=str(work),
                      TORCHINDUCTOR_CACHE_DIR=str(work / ".torchinductor"))
    tempfile.tempdir = None  # found again from TMPDIR: torch.optim's first step makes a cache folder there
    guard = _ImportGuard(settings)
    sys.meta_path.insert(0, guard)
    builtins.__import__ = guard.guarded_import
    sandbox.confine(_folder_rules(folder, settings.shared) + settings.rules, settings.memory_mb, settings.cpu_seconds,
                    settings.file_mb, str(work))
    server = _Server(folder / "answers", channel)
    while True:
        try:
            frame = channel.receive()
        except EOFError:
            os._exit(0)
        server.handle(frame)


def spawned(connection) -> None:
    """A worker started as a fresh interpreter (see `spawner.SpawnClient`): it imports what workers
    need while it waits, then takes its settings and serves. Never returns."""
    sandbox.one_thread()
    connection.send_bytes(b"warm")  # its imports are done: what it uses from now on is its answers'
    serve(Channel(connection), {connection.fileno()})


def _folder_rules(folder: Path, shared: str) -> list[tuple[str, int]]:
    return [(str(folder / "answers"), sandbox.READ), *([(shared, sandbox.READ)] if shared else []),
            (str(folder / "work"), sandbox.READ | sandbox.WRITE | sandbox.landlock.MAKE_DIR |
             sandbox.landlock.REMOVE_DIR)]


def _redirect_output(path: Path) -> None:
    """The student's prints go to a file (capped by the file-size limit), never to the grader's terminal."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", buffering=1, closefd=False)
    sys.stderr = open(2, "w", buffering=1, closefd=False)
    system.ignore_file_size_signal()


class _ImportGuard(importlib.abc.MetaPathFinder):
    """An answer imports from fastquiz only the names its question's stub imports.

    Two doors: `guarded_import` (the `import` statement) checks what an answer module asks
    for by name; `find_spec` (every other way in, such as `importlib.import_module`) refuses
    to load any fastquiz module beyond those the worker was given. In grade mode the sandbox
    backs both: the files of the other modules can't be read."""

    def __init__(self, settings: WorkerSettings):
        self.given = {ANSWER_PREFIX + answer: given for answer, given in settings.answers.items()}
        self.loadable = set(settings.loadable)
        self._import = builtins.__import__

    def guarded_import(self, name, globals=None, locals=None, fromlist=(), level=0):
        importer = (globals or {}).get("__name__")
        if importer in self.given and level == 0 and (name == "fastquiz" or name.startswith("fastquiz.")):
            allowed = self.given[importer].get(name, [])
            wanted = list(fromlist or ()) or ["*"]
            refused = [n for n in wanted if n not in allowed]
            if refused:
                raise ImportError(_refusal(importer.removeprefix(ANSWER_PREFIX), name, refused, self.given[importer]),
                                  name=name)
        return self._import(name, globals, locals, fromlist, level)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith("fastquiz.") and fullname not in self.loadable:
            raise ModuleNotFoundError(f"{fullname} is not available to answers: use only what your stub imports",
                                      name=fullname)
        return None


def _refusal(answer: str, module: str, refused: list[str], given: dict[str, list[str]]) -> str:
    what = f"import {module}" if refused == ["*"] else f"import {', '.join(refused)} from {module}"
    if not given:
        return f"{answer} may not {what}: this question's stub imports nothing from fastquiz, so write it yourself"
    offered = "; ".join(f"{', '.join(names)} from {m}" for m, names in given.items())
    return f"{answer} may not {what}: its stub gives you only {offered}, and the rest is yours to write"


class _Server:
    def __init__(self, answers: Path, channel: Channel):
        self.answers, self.channel = answers, channel
        self.loaded: dict[str, Any] = {}  # answer module name -> the loaded module
        self.objects: dict[int, Any] = {}
        self.modules: dict[int, nn.Module] = {}  # task-origin modules, by the task's id
        self.states: dict[int, dict[str, torch.Tensor]] = {}  # their state as the task last saw it
        self.current: Path | None = None  # the answer file of the request being handled

    def keep(self, obj: Any) -> int:
        self.objects[id(obj)] = obj
        return id(obj)

    def handle(self, frame: bytes | bytearray) -> None:
        """Answer one request. Besides its value, the reply carries what the call changed in the
        task's objects: the values and gradients of tensor arguments, the state of modules."""
        try:
            request = Request(*_Unpickler(*read_request(frame, self.channel.receive_into), self).load())
        except BaseException as error:  # noqa: BLE001 (the grader's arguments could not be rebuilt here)
            self.channel.send(wire.message({"error": self._describe(error) | {"in_request": True}}))
            return
        encoder = wire.Encoder(self.keep, png=request.png)
        self.current = self.answers / f"{request.answer}.py"
        spent = 0.0
        try:
            for task_id, module in request.modules.items():
                self.modules[task_id], self.states[task_id] = module, _copy_state(module)
            arguments = tensor_arguments(request.args)
            for key, tensor in arguments:
                tensor.grad = request.grads.get(key)
            before = {key: (_copy(tensor), _copy(tensor.grad)) for key, tensor in arguments}
            started = system.own_cpu_seconds()
            try:
                value = self._run(request)
            finally:
                spent = system.own_cpu_seconds() - started  # the answer's own compute
            reply = {"value": self._encode_result(value, request, encoder),
                     "arguments": {key: change for key, tensor in arguments
                                   if (change := _changes(tensor, *before[key], encoder))}}
        except BaseException as error:  # noqa: BLE001 (whatever the student's code raises is reported)
            reply = {"error": self._describe(error)}
        reply["modules"] = self._changed_modules(encoder)
        reply["spent"] = spent
        self.channel.send(wire.message(reply, encoder.buffers))

    def _changed_modules(self, encoder: wire.Encoder) -> dict:
        """The state of each task-origin module that differs from what the task last saw."""
        changed = {}
        for key, module in self.modules.items():
            state, last = module.state_dict(), self.states[key]
            if state.keys() != last.keys() or not all(_same(state[name], last[name]) for name in state):
                self.states[key] = _copy_state(module)
                changed[str(key)] = encoder.encode(self.states[key])
        return changed

    def _run(self, request: Request) -> Any:
        """What the request asks, done (its answer's file is `self.current`, named by `handle`)."""
        if request.op == "forget":  # between questions: drop what the last one left here
            self.objects.clear()
            self.modules.clear()
            self.states.clear()
            gc.collect()
            return None
        if request.answer not in self.loaded:
            assert self.current is not None
            self.loaded[request.answer] = _load(self.current, ANSWER_PREFIX + request.answer)
        target = self.loaded[request.answer] if request.target is None else self.objects[request.target]
        if request.op == "load":  # the answer's functions, as it was loaded: the checks need not ask for each
            return _functions(target)
        if request.op == "get":
            return getattr(target, request.name)
        if request.op == "call":
            return target(*request.args, **request.kwargs)
        if request.op == "function":  # an attribute that is a function: its handle, else what it is instead
            found = getattr(target, request.name)
            return found if callable(found) else {"not a function": type(found).__name__}
        if request.op == "isinstance":
            return isinstance(target, _resolve(request.name))
        raise ValueError(f"unknown request {request.op!r}")

    def _encode_result(self, value: Any, request: Request, encoder: wire.Encoder) -> Any:
        for index, arg in enumerate(request.args):
            if value is arg and isinstance(arg, (torch.Tensor, nn.Module)):
                return {"argument": index}  # the task gets its own object back, updated
        return encoder.encode(value)

    def _describe(self, error: BaseException) -> dict:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == self.current]
        line = frames[-1].lineno if frames else None
        if isinstance(error, SyntaxError) and error.filename and Path(error.filename) == self.current:
            line, text = error.lineno, [error.msg]  # where the file itself is wrong
        else:
            text = str(error).strip().splitlines()
        refused = isinstance(error, OSError) and error.errno in REFUSALS and bool(frames)
        return {
            "type": type(error).__name__,
            "message": text[0] if text else "",
            "line": line,
            "in_student": bool(frames),
            "module": getattr(error, "name", None) if isinstance(error, ImportError) else None,
            "refused": (frames[-1].line or "").strip()[:120] if refused else None,  # what the sandbox refused
        }


class _Unpickler(pickle.Unpickler):
    """Turns the task's stand-ins back into objects: handles, and callbacks to the task."""

    def __init__(self, file: io.BytesIO, buffers: list[bytearray], server: _Server):
        super().__init__(file, buffers=buffers)
        self.server = server

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__:  # in every request: looked up here, not imported through the import guard
            return self._stand_in if name == "stand_in" else getattr(sys.modules[__name__], name)
        return super().find_class(module, name)

    def _stand_in(self, kind: str, value: Any) -> Any:
        if kind == "handle":
            return self.server.objects[value]
        if kind == "callback":
            number, name = value
            return _Callback(number, name, self.server)
        raise pickle.UnpicklingError(f"unknown reference {kind!r}")


class _Callback:
    """A check's function that student code calls: the call runs in the task."""

    def __init__(self, number: int, name: str, server: _Server):
        self.number, self.server = number, server
        self.__name__ = self.__qualname__ = name  # as a metric's name, say

    def __call__(self, *args, **kwargs):
        encoder = wire.Encoder(self.server.keep)
        self.server.channel.send(wire.message({"callback": self.number, "args": encoder.encode([list(args), kwargs])},
                                              encoder.buffers))
        channel = self.server.channel
        pickled, buffers = read_request(channel.receive(), channel.receive_into)
        answer = pickle.load(pickled, buffers=buffers)
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


def tensor_from_bytes(data: bytearray, dtype: str, shape: tuple[int, ...], requires_grad: bool) -> torch.Tensor:
    """A tensor the task sent as its raw bytes (see `student._RequestPickler`): it takes over the
    bytearray they were read into."""
    tensor = torch.from_numpy(np.frombuffer(data, dtype=dtype).reshape(shape))
    return tensor.requires_grad_(requires_grad)


def _copy(tensor: torch.Tensor | None) -> torch.Tensor | None:
    return None if tensor is None else tensor.detach().clone()


def _copy_state(module: nn.Module) -> dict[str, torch.Tensor]:
    return {name: tensor.detach().clone() for name, tensor in module.state_dict().items()}


def _same(a: torch.Tensor | None, b: torch.Tensor | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.dtype == b.dtype and a.shape == b.shape and bool(torch.equal(a, b))


def _changes(tensor: torch.Tensor, data: torch.Tensor | None, grad: torch.Tensor | None, encoder: wire.Encoder) -> dict:
    """What a call changed of a tensor argument, given copies from before it: its values, its
    gradient (None: cleared), both, or nothing."""
    change = {}
    if not _same(tensor, data):
        change["data"] = encoder.encode(tensor)
    if not _same(tensor.grad, grad):
        change["grad"] = encoder.encode(tensor.grad)
    return change


def seed_generators(seed: int) -> None:
    """Seed Python's, numpy's and torch's generators. torch.manual_seed also queues the seed for a
    GPU, with a formatted stack trace while none is in use (milliseconds, each call): where there is
    no GPU, the CPU's generator is all there is to seed."""
    random.seed(seed)
    np.random.seed(seed)
    if torch.cuda.is_available() or torch.backends.mps.is_available():
        torch.manual_seed(seed)
    else:
        torch.default_generator.manual_seed(seed)


def _load(path: Path, name: str):
    """Run an answer file as a module of its own, with every generator seeded the same way, so that
    what it draws never depends on what ran in this worker before."""
    seed_generators(SEED)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _functions(module: types.ModuleType) -> dict[str, types.FunctionType]:
    """The Python functions at the top of an answer's module, by name (at most `LOADED_FUNCTIONS`)."""
    found = {}
    for name, value in dict.items(vars(module)):
        if type(name) is str and not name.startswith("__") and type(value) is types.FunctionType:
            found[name] = value
            if len(found) == LOADED_FUNCTIONS:
                break
    return found


def _resolve(qualified: str) -> type:
    module, _, name = qualified.rpartition(".")
    return getattr(sys.modules[module], name)
