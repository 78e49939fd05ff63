"""The one seam between the checks and a student's code.

Checks never import a student's module: they ask the `student` fixture for names and get
back plain values, or stand-ins (`Remote`) whose calls run in a worker process (see
`worker.py`). Arguments go to the worker as pickles; replies come back as plain values
only. Tensors a student's function updates in place, and models it trains, are copied
back into the grader's own objects after each call, so checks read as if the call had
happened here.
"""
from __future__ import annotations

import ast
import ctypes
import importlib
import io
import os
import pickle
import shutil
import signal
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any, Callable

import torch
from torch import nn

from . import wire
from .worker import RAW_DTYPES, Limits, Request, serve, tensor_arguments, tensor_from_bytes

MEMORY_ERRORS = ("MemoryError",)
SLOW_IMPORTS = ("matplotlib.figure",)
PR_SET_CHILD_SUBREAPER = 36
_RUNNING: set[int] = set()  # pids of the workers this process has running


def libraries_for(source: str) -> frozenset[str]:
    """The slow-to-import libraries (matplotlib: 0.4 s) that an answer's code uses. The grader
    imports them before it forks the answer's worker, so that workers forked later from the
    same process start with them loaded as well."""
    return frozenset(name for name in SLOW_IMPORTS if name.split(".")[0] in source)


class NotAttempted(BaseException):
    """The student has not answered this part yet (a stub's placeholder is still there).

    Like the limits below, a BaseException: hypothesis then stops at once instead of
    trying ever smaller inputs on a part that can't pass."""


class StudentError(Exception):
    """The student's code can't be used: it does not load, raises, or lacks a name the question needs."""


class StudentLimit(BaseException):
    """The student's code ran past one of its limits."""


class StudentOutOfTime(StudentLimit):
    """The worker ran past the question's time limit, or used up its CPU time."""


class StudentOutOfMemory(StudentLimit):
    """The worker asked for more memory than its limit."""


class Remote:
    """An object that lives in the worker: call it, or read its attributes."""

    def __init__(self, student: "Student", handle: wire.Handle):
        self._student, self._handle = student, handle

    @property
    def type_name(self) -> str:
        return self._handle.type_name

    def __call__(self, *args, **kwargs) -> Any:
        return self._student._request("call", self._handle.id, args=args, kwargs=kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._student._request("get", self._handle.id, name=name)

    def __repr__(self) -> str:
        return f"<student's {self.type_name}>"


class Student:
    """A student's answer to one question: its source here, its code in a worker."""

    def __init__(self, path: Path, limits: Limits | None = None, time_limit: float | None = None):
        self.path, self.limits = Path(path).resolve(), limits or Limits()  # the worker runs in a folder of its own
        self.time_limit = time_limit
        self.deadline = None if time_limit is None else time.monotonic() + time_limit
        self.source = path.read_text(encoding="utf-8")
        self._worker: tuple[int, int, int] | None = None  # pid, request fd, reply fd
        self._scratch: Path | None = None
        self._modules: dict[int, nn.Module] = {}
        self._callbacks: dict[int, Callable] = {}
        self._functions: dict[str, Remote] = {}  # this worker's functions, by name

    @classmethod
    def load(cls, path: Path, limits: Limits | None = None, time_limit: float | None = None) -> "Student":
        """Start a worker on the student's file; StudentError if the file can't be run.

        All the worker's answers together must come within `time_limit` seconds."""
        if not path.is_file():
            raise StudentError(f"{path.name} is missing from the workspace: copy the stub back from fastquiz's exercises")
        try:
            student = cls(path, limits, time_limit)
        except UnicodeDecodeError as error:
            raise StudentError(f"{path.name} is not UTF-8 text (byte {error.start}): save it as UTF-8") from None
        try:
            compile(student.source, str(path), "exec")
        except SyntaxError as error:
            raise StudentError(f"SyntaxError: {error.msg} ({path.name}:{error.lineno})") from None
        try:
            student._request("get", None, name="__name__")  # runs the file
        except (StudentError, StudentLimit) as error:
            student.close()
            raise type(error)(f"{error} while loading {path.name}") from None
        return student

    # -- what checks use ------------------------------------------------------------------
    def function(self, name: str) -> Remote:
        """The student's function `name` (looked up once per worker: checks ask for it in every example)."""
        if name not in self._functions:
            found = self._get(name)
            if not isinstance(found, Remote) or not self._request("callable", found._handle.id):
                raise StudentError(f"{name} in {self.path.name} should be a function, not {_type_name(found)}")
            self._functions[name] = found
        return self._functions[name]

    def cls(self, name: str) -> Remote:
        """The student's class `name`."""
        found = self._get(name)
        if not isinstance(found, Remote) or not self.isinstance(found, "builtins.type"):
            raise StudentError(f"{name} in {self.path.name} should be a class, not {_type_name(found)}")
        return found

    def value(self, name: str) -> Any:
        """The value the student gave `name`; NotAttempted while it is still the stub's placeholder."""
        found = self._get(name)
        if found is None or (isinstance(found, Remote) and found.type_name == "ellipsis"):
            raise NotAttempted(f"{name} is not answered yet")
        return found

    def isinstance(self, obj: Remote, qualified_type: str) -> bool:
        """Whether a worker-side object is an instance of e.g. "torch.nn.Module" (asked in the worker)."""
        return self._request("isinstance", obj._handle.id, name=qualified_type)

    def definition(self, name: str) -> ast.FunctionDef | ast.ClassDef:
        """The syntax tree of the student's function or class `name`, for checks of how it is written.

        NotAttempted while its body is still the stub's `raise NotImplementedError`."""
        for node in ast.walk(ast.parse(self.source)):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                if _is_stub_body(node):
                    raise NotAttempted(f"{name} is not written yet")
                return node
        raise StudentError(f"{self.path.name} has no {name}: keep the names the stub defines")

    def shared_folder(self) -> Path:
        """A folder that both the checks and the student's code can read, for files a check makes
        for the student's code to open (in grade mode the worker sees little else of the disk).

        The grader makes it before the worker starts, and in grade mode the worker can't rename
        or replace it (see `worker._isolate`): what a check writes there stays there."""
        if self._worker is None:
            self._start()
        return self._scratch / "shared"

    def close(self) -> None:
        """Stop the worker and everything it started, and delete its scratch folder."""
        self._stop(grace=0)

    def _stop(self, grace: float) -> int | None:
        """End the worker (given `grace` seconds to end by itself) and whatever it left running,
        close its pipes and delete its scratch folder. The worker's wait status, or None when it
        had to be killed or none was running."""
        status = None
        if self._worker is not None:
            pid, request_fd, reply_fd = self._worker
            status = _end(pid, grace)
            _RUNNING.discard(pid)
            _end_orphans()
            os.close(request_fd)
            os.close(reply_fd)
            self._worker = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        return status

    # -- the protocol -----------------------------------------------------------------------
    def _get(self, name: str) -> Any:
        try:
            return self._request("get", None, name=name)
        except StudentError as error:
            if str(error).startswith("AttributeError"):
                raise StudentError(f"{self.path.name} has no {name}: keep the names the stub defines") from None
            raise

    def _request(self, op: str, target: int | None, name: str = "", args: tuple = (), kwargs: dict | None = None):
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise self._out_of_time()
        if self._worker is None:
            self._start()
        pid, request_fd, reply_fd = self._worker
        fresh = {id(m): m for m in _modules_in(args, kwargs or {}) if id(m) not in self._modules}
        self._modules.update(fresh)
        try:
            wire.send_bytes(request_fd, self._pickle(Request(op, target, name, args, kwargs, fresh)), self.deadline)
            reply, buffers = wire.read_message(reply_fd, self.deadline)
            while isinstance(reply, dict) and "callback" in reply:
                wire.send_bytes(request_fd, self._pickle(self._run_callback(reply, buffers)), self.deadline)
                reply, buffers = wire.read_message(reply_fd, self.deadline)
        except TimeoutError:
            self.close()
            raise self._out_of_time() from None
        except (EOFError, BrokenPipeError, OSError, ValueError):
            raise self._worker_died() from None
        try:
            self._sync(reply, buffers, args)
            if "error" in reply:
                raise self._error(reply["error"])
            value = reply["value"]
            if isinstance(value, dict) and set(value) == {"argument"}:
                return args[int(value["argument"])]
            return self._wrap(wire.decode(value, buffers))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise StudentError(f"the answer can't be read by the grader ({error})") from None

    def _start(self) -> None:
        self._functions.clear()
        self._scratch = Path(tempfile.mkdtemp(prefix="fastquiz-worker-"))
        (self._scratch / "shared").mkdir(mode=0o755)
        path = self.path
        if self.limits.isolate:  # the worker may not be able to read the workspace: give it a copy
            path = self._scratch / self.path.name
            shutil.copyfile(self.path, path)
        for library in libraries_for(self.source):
            importlib.import_module(library)
        request_r, request_w = os.pipe()
        reply_r, reply_w = os.pipe()
        os.set_blocking(request_w, False)  # a worker that stops reading can't hold a request past the deadline
        _adopt_orphans()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                serve(path, request_r, reply_w, self.limits, self._scratch)
            finally:
                os._exit(70)
        _RUNNING.add(pid)
        os.close(request_r)
        os.close(reply_w)
        self._worker = (pid, request_w, reply_r)
        self._modules.clear()

    def _pickle(self, obj: Any) -> bytes:
        buffer = io.BytesIO()
        _RequestPickler(buffer, self._reference).dump(obj)
        return buffer.getvalue()

    def _reference(self, obj: Any):
        """Stand-ins in a pickle: a Remote is the worker's own object; a function that can't be
        imported by name in the worker (a lambda, a local function) becomes a callback."""
        if isinstance(obj, Remote):
            return ("handle", obj._handle.id)
        if isinstance(obj, types.FunctionType) and not _importable(obj):
            self._callbacks[id(obj)] = obj
            return ("callback", id(obj))
        return None

    def _run_callback(self, reply: dict, buffers: list[bytes]) -> dict:
        args, kwargs = wire.decode(reply["args"], buffers)
        try:
            return {"return": self._callbacks[reply["callback"]](*args, **kwargs)}
        except Exception as error:  # noqa: BLE001 (reported to the student's code as a RuntimeError)
            return {"raise": f"{type(error).__name__}: {error}"}

    def _sync(self, reply: dict, buffers: list[bytes], args: tuple) -> None:
        """Copy what the call changed into the grader's own tensors and modules."""
        mine_by_key = dict(tensor_arguments(args))
        with torch.no_grad():
            for key, change in reply.get("arguments", {}).items():
                mine = mine_by_key[key]
                if "data" in change:
                    new = wire.decode(change["data"], buffers)
                    if isinstance(new, torch.Tensor) and new.shape == mine.shape:
                        mine.copy_(new)
                if "grad" in change:
                    grad = wire.decode(change["grad"], buffers)
                    if grad is None or (isinstance(grad, torch.Tensor) and grad.shape == mine.shape):
                        mine.grad = None if grad is None else grad.to(mine.dtype)
            for key, state in reply.get("modules", {}).items():
                module = self._modules.get(int(key))
                if module is not None:
                    module.load_state_dict(wire.decode(state, buffers))

    def _wrap(self, value: Any) -> Any:
        if isinstance(value, wire.Handle):
            return Remote(self, value)
        if isinstance(value, list):
            return [self._wrap(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self._wrap(v) for v in value)
        if isinstance(value, dict):
            return {k: self._wrap(v) for k, v in value.items()}
        return value

    def _error(self, error: dict) -> BaseException:
        where = f" ({self.path.name}:{error['line']})" if error.get("line") else ""
        text = f"{error['type']}: {error['message']}".rstrip(": ") + where
        if error["type"] == "NotImplementedError" and error.get("in_student"):
            return NotAttempted(text)
        if error["type"] in MEMORY_ERRORS or "can't allocate memory" in error["message"]:
            return StudentOutOfMemory(f"used more than the {self.limits.memory_mb} MB memory limit{where}")
        return StudentError(text)

    def _out_of_time(self) -> StudentOutOfTime:
        return StudentOutOfTime(f"took longer than the {self.time_limit:g} s limit")

    def _worker_died(self) -> StudentError | StudentLimit:
        """The worker closed its pipe: it ended (os._exit, a crash, a limit), or it closed the pipe itself."""
        status = self._stop(grace=1.0)
        if status is None:
            return StudentError("the exercise closed its connection to the grader")
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
            return StudentOutOfTime(f"used more than the {self.limits.cpu_seconds} s CPU limit")
        reason = (f"killed by {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
                  else f"exit status {os.WEXITSTATUS(status)}")
        return StudentError(f"the exercise ended its own process ({reason})")


class _RequestPickler(pickle.Pickler):
    """Pickles requests: stand-ins by `persistent_id`, and a plain CPU tensor that owns all of
    its memory as its raw bytes (torch's own pickling is several times slower for the small
    tensors that checks send). Views keep torch's pickling; either way a tensor and a view of
    it sent in one request no longer share memory in the worker (see grader/README.md)."""

    def __init__(self, file: io.BytesIO, persistent_id: Callable[[Any], Any]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.persistent_id = persistent_id

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is not torch.Tensor or obj.grad_fn is not None or obj.device.type != "cpu" \
                or obj._base is not None or obj.dtype not in RAW_DTYPES or not obj.is_contiguous() \
                or obj.untyped_storage().nbytes() != obj.numel() * obj.element_size():
            return NotImplemented
        return tensor_from_bytes, (obj.detach().numpy().tobytes(), RAW_DTYPES[obj.dtype], tuple(obj.shape),
                                   obj.requires_grad)


def _end(pid: int, grace: float) -> int | None:
    """Reap the worker, giving it `grace` seconds to end by itself; its wait status, or None
    when it had to be killed. (What it started is left to `_end_orphans`.)"""
    deadline = time.monotonic() + grace
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() >= deadline:
            break
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def _adopt_orphans() -> None:
    """Make this process the child subreaper of its workers' descendants: a process a worker
    starts and leaves behind (a daemon in a session of its own, children it never reaped) is
    re-parented here when its parent ends, not to init, so that `_end_orphans` can end it
    rather than let it run on after its question, or from one submission into the next."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _end_orphans() -> None:
    """Kill and reap this process's children other than its running workers: what ended workers
    left behind (the process that grades starts no other children). Each round's victims hand
    their own children to this process, so rounds go on until none is left, or for at most 100
    rounds against a fork storm that keeps ahead of them (grade mode caps a worker's processes)."""
    for _ in range(100):
        orphans = [pid for pid in _children() if pid not in _RUNNING]
        if not orphans:
            return
        for pid in orphans:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in orphans:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _children() -> list[int]:
    """The pids whose parent is this process, read from /proc."""
    me, found = os.getpid(), []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat_file:
                    if int(stat_file.read().rsplit(b")", 1)[1].split()[1]) == me:
                        found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    return found


def _importable(function: types.FunctionType) -> bool:
    module = sys.modules.get(function.__module__)
    return module is not None and "<" not in function.__qualname__ and \
        getattr(module, function.__qualname__, None) is function


def _modules_in(args: tuple, kwargs: dict) -> list[nn.Module]:
    found = []
    for value in (*args, *kwargs.values()):
        items = value if isinstance(value, (list, tuple)) else value.values() if isinstance(value, dict) else [value]
        found += [item for item in items if isinstance(item, nn.Module)]
    return found


def describe(error: BaseException) -> str:
    """`Type: message` on one line."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _type_name(value: Any) -> str:
    return value.type_name if isinstance(value, Remote) else type(value).__name__


def code_only(source: str) -> str | None:
    """The source's syntax tree without docstrings and the EXPLAIN text: two sources with the same
    code_only differ only in those, comments and layout. None when the source does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            node.body = [
                n for n in body
                if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))
                and not (isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "EXPLAIN" for t in n.targets))
            ]
    return ast.dump(tree)


def _is_stub_body(node: ast.FunctionDef | ast.ClassDef) -> bool:
    """A body that only raises NotImplementedError (after an optional docstring)."""
    body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in ast.dump(body[0])
