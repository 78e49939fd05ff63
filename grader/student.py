"""The one seam between the checks and a student's code.

Checks never import a student's module: they ask the `student` they are given for names and
get back plain values, or stand-ins (`Remote`) whose calls run in the worker process (see
`worker.py`). Arguments go to the worker as pickles; replies come back as plain values only.
Tensors a student's function updates in place, and models it trains, are copied back into
the check's own objects after each call, so checks read as if the call had happened here.

A `Student` is one question's answer; its `WorkerProcess` (see `workers.py`) may serve
several questions of the same submission one after another. While the worker runs a
request, the task watches it: its CPU time against the question's limit (its own CPU, so a
busy neighbour can't make it time out), the wall clock against a generous backstop and the
submission's budget, and the size of its work folder.
"""
from __future__ import annotations

import ast
import dataclasses
import io
import os
import pickle
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any, Callable

import torch
from torch import nn

from . import diagnosis, sandbox, system, tree, wire
from .answers import (NotAttempted, StudentError, StudentLimit, StudentOutOfMemory, StudentOutOfTime,  # noqa: F401
                      is_stub_body, describe, parse, read_answer)  # (NotAttempted, describe: for the checks)
from .protocol import GraderFault
from .worker import RAW_DTYPES, Request, request_frame, stand_in, tensor_arguments, tensor_from_bytes
from .workers import WorkerProcess

MEMORY_ERRORS = ("MemoryError",)
WALL_FACTOR = 3  # a question may take this many times its CPU limit in wall time, waiting included
WATCH_SECONDS = 0.05  # how often a running request's CPU time and threads are looked at
FOLDER_EVERY = 4  # and its work folder, every this many looks
MAX_DEPTH = 64  # folders in a work folder nest at most this deep
THREADS = sandbox.THREADS + 4  # threads a worker may have, where the kernel can't bound them (see `sandbox.confine`)
CALLBACK_DATA = 64 << 20  # tensors an answer may hand a check's functions over a question (see `_count_callback`)
CALLBACK_TEXT = 8 << 20  # and numbers and text (as sent: each becomes a Python object of 30-100 bytes)


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


class Function(Remote):
    """A function of the student's answer, by its name: its calls are noted for the diagnosis when
    the part being run has a log (see `diagnosis.py`)."""

    def __init__(self, student: "Student", handle: wire.Handle, name: str):
        super().__init__(student, handle)
        self.name = name

    def noted_as(self) -> str:
        """What it is as an argument of a noted call: the student's function of that name."""
        return f"the student's {self.name}"

    def __call__(self, *args, **kwargs) -> Any:
        log = self._student.notes
        key = log.key(self.name, args, kwargs) if log is not None else None
        if key is None:
            return super().__call__(*args, **kwargs)
        return self._student._noted_call(self, key, args, kwargs)


class Student:
    """A student's answer to one question: its source here, its code in a worker."""

    def __init__(self, module: str, path: Path, worker: WorkerProcess, time_limit: float,
                 budget: tuple[float, str] | None = None, png: bool = False):
        """`module`: the question's file name; `path`: the answer file (read here for its source);
        `time_limit`: CPU seconds for all the question's requests, which must also be done within
        WALL_FACTOR times that, or by `budget`'s time.monotonic() if sooner (its text says whose)."""
        self.module, self.path, self.worker, self.time_limit, self.png = module, Path(path), worker, time_limit, png
        self.deadline = time.monotonic() + WALL_FACTOR * time_limit
        self.deadline_reason = f"{WALL_FACTOR * time_limit:g} s in all (its CPU limit is {time_limit:g} s)"
        if budget is not None and budget[0] < self.deadline:
            self.deadline, self.deadline_reason = budget
        self.cpu_start, self.started = worker.cpu(), time.monotonic()
        self.source = read_answer(self.path)
        self.limit_hit: StudentLimit | None = None  # the limit that ended this answer's worker, if one did
        self.metrics: dict[str, float] = {}  # figures the part being run recorded (see `record`)
        self._modules: dict[int, nn.Module] = {}
        self._callbacks: dict[int, Callable] = {}
        self._functions: dict[str, Function] = {}  # this question's functions, by name
        self._looks = 0  # how often `_watch` has looked at the running worker
        self._callback_text = self._callback_data = 0  # bytes the answer has handed the check's functions
        self.spent = 0.0  # CPU seconds the answer's own code has used in its worker, in this question's requests
        self._last_header = 0  # the size of the numbers and text of the last reply
        self.notes: diagnosis.CallLog | None = None  # the calls of the part being run to note (see `Function`)
        self._last_error: dict | None = None  # the worker's account of the error the last call raised
        self._last_changes: tuple[dict[str, dict], set[int]] = ({}, set())  # what it changed: tensors, modules
        self._loadable = set(worker.settings.loadable)  # the fastquiz modules its worker may load

    def load(self) -> None:
        """Run the answer file in the worker; StudentError if it can't be run. Its functions come back
        with it (up to `worker.LOADED_FUNCTIONS`): `function` asks the worker only for another name."""
        try:
            functions = self._request("load", None)
        except (StudentError, StudentLimit) as error:
            raise type(error)(f"{error} while loading {self.path.name}") from None
        if isinstance(functions, dict):
            self._functions = {name: Function(self, found._handle, name) for name, found in functions.items()
                               if type(name) is str and isinstance(found, Remote)}

    # -- what checks use ------------------------------------------------------------------
    def function(self, name: str) -> Remote:
        """The student's function `name` (looked up once per question, most as the answer is loaded: checks
        ask for it in every example)."""
        if name not in self._functions:
            found = self._get(name, "function")
            if not isinstance(found, Remote):
                what = found["not a function"] if isinstance(found, dict) and "not a function" in found else \
                    _type_name(found)
                raise StudentError(f"{name} in {self.path.name} should be a function, not {what}")
            self._functions[name] = Function(self, found._handle, name)
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
        if self.notes is not None:
            self.notes.note_value(name, found)
        return found

    def isinstance(self, obj: Remote, qualified_type: str) -> bool:
        """Whether a worker-side object is an instance of e.g. "torch.nn.Module": at once where its type
        derives from that class (its handle says which it does), else asked in the worker."""
        if _qualified(qualified_type) in obj._handle.bases:
            return True
        return self._request("isinstance", obj._handle.id, name=qualified_type)

    def definition(self, name: str) -> ast.FunctionDef | ast.ClassDef:
        """The syntax tree of the student's function or class `name`, for checks of how it is written.

        NotAttempted while its body is still the stub's `raise NotImplementedError`."""
        for node in ast.walk(parse(self.source, self.path.name)):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                if is_stub_body(node):
                    raise NotAttempted(f"{name} is not written yet")
                return node
        raise StudentError(f"{self.path.name} has no {name}: keep the names the stub defines")

    def record(self, name: str, value: float) -> None:
        """Keep a figure with the part's result (r2's held-out accuracy, say, for a leaderboard)."""
        self.metrics[name] = float(value)

    def shared_folder(self) -> Path:
        """A folder of files a check makes for the student's code to open, which the worker may read
        and not change (it can read little else of the disk). Every answer its task grades reads it,
        other students' included: a file there may hold what the check made from its own inputs
        (the same for every answer), never anything an answer gave back."""
        if not self.worker.settings.shared:
            raise GraderFault("a check asked for the shared folder of a worker started without one")
        return Path(self.worker.settings.shared)

    def can_repeat(self, cpu: float, wall: float) -> bool:
        """Whether a part that used `cpu` seconds of the answer's code and `wall` seconds may run again
        (to note its calls for the diagnosis) and leave the question's limits well clear."""
        if self.limit_hit is not None or not self.worker.running:
            return False
        return 2 * (self.spent + cpu) <= self.time_limit and time.monotonic() + 2 * wall < self.deadline

    def forget(self) -> None:
        """Tell a worker that may serve the next question to drop this one's objects."""
        if self.worker.running and self.limit_hit is None:
            try:
                self._request("forget", None)
            except (StudentError, StudentLimit, NotAttempted):
                pass

    # -- the protocol -----------------------------------------------------------------------
    def _noted_call(self, function: Function, key: str, args: tuple, kwargs: dict) -> Any:
        """Call `function`, noting in `notes` what came back under `key`: the value and what the call
        changed of its tensor and module arguments, or the error it raised."""
        log = self.notes
        assert log is not None
        before = log.before(args, kwargs)
        try:
            value = Remote.__call__(function, *args, **kwargs)
        except StudentError:
            if self._last_error is not None:
                log.note(function.name, key, diagnosis.raised(self._last_error), before)
            raise
        try:
            tensors, modules = dict(tensor_arguments(args)), self._last_changes[1]
            changed: dict[str, torch.Tensor | None] = {}
            for name, change in self._last_changes[0].items():
                if "data" in change:
                    changed[name] = tensors[name]
                if "grad" in change:
                    changed[f"{name}.grad"] = tensors[name].grad
            own = {str(where): m for where, m in [*enumerate(args), *kwargs.items()] if id(m) in modules}
            log.note(function.name, key, diagnosis.outcome(value, changed, own), before)
        except Exception:  # noqa: BLE001 (NotComparable: an object that stayed in the worker; noting never fails a part)
            pass
        return value

    def _get(self, name: str, op: str = "get") -> Any:
        try:
            return self._request(op, None, name=name)
        except StudentError as error:
            if str(error).startswith("AttributeError"):
                raise StudentError(f"{self.path.name} has no {name}: keep the names the stub defines") from None
            raise

    def _request(self, op: str, target: int | None, name: str = "", args: tuple = (), kwargs: dict | None = None):
        if self.limit_hit is not None:
            raise self.limit_hit
        if not self.worker.running:
            raise StudentError("the exercise's process has ended")
        fresh = {id(m): m for m in _modules_in(args, kwargs or {}) if id(m) not in self._modules}
        self._modules.update(fresh)
        tensors = tensor_arguments(args)
        request = Request(op, self.module, target, name, args, kwargs or {}, fresh, self.png,
                          {key: t.grad for key, t in tensors if t.grad is not None})
        self._last_error = None
        try:
            reply, buffers = self._exchange(*self._pickle(tuple(request)))  # its fields: see `worker.Request`
            while isinstance(reply, dict) and "callback" in reply:
                self._count_callback(buffers)
                reply, buffers = self._exchange(*self._pickle(self._run_callback(reply, buffers)))
        except StudentLimit as limit:
            self.worker.stop()
            self.limit_hit = limit
            raise
        except wire.TooLarge as error:
            self.worker.stop()
            raise StudentError(str(error)) from None
        except (EOFError, BrokenPipeError, OSError, ValueError):
            raise self._worker_died() from None
        try:
            self.spent += max(0.0, float(reply.get("spent", 0.0)))
            self._sync(reply, buffers, dict(tensors))
            if "error" in reply:
                self._last_error = reply["error"]
                raise self._error(reply["error"])
            value = reply["value"]
            if isinstance(value, dict) and set(value) == {"argument"}:
                return args[int(value["argument"])]
            return self._wrap(wire.decode(value, buffers))
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
            raise StudentError(f"the answer can't be read by the grader ({error})") from None

    def _exchange(self, frame: bytes, arrays: list[memoryview]) -> tuple[Any, list]:
        """Send a request (its frame, then its tensors' bytes) and wait for the reply, watching the
        worker's limits all along."""
        channel = self.worker.channel
        try:
            channel.send(frame, self.deadline, arrays)
            while not channel.wait(WATCH_SECONDS):
                self._watch()
            reply = channel.receive(self.deadline)
            self._last_header = int.from_bytes(reply[:4], "big")  # the size of its numbers and text
            return wire.parse(reply)
        except TimeoutError:
            raise StudentOutOfTime(f"took longer than {self.deadline_reason}") from None

    def _watch(self) -> None:
        """Raise the limit the running request has gone past, if any. Its work folder is counted
        every few looks only: a count may walk thousands of entries."""
        cpu = self.worker.cpu()
        question_cpu = None if cpu is None else cpu - (self.cpu_start or 0.0)
        if question_cpu is not None and question_cpu > self.time_limit:
            self.spent = max(self.spent, question_cpu)  # the request stopped here never says what it used
            raise StudentOutOfTime(f"used more than its {self.time_limit:g} s of CPU time")
        if cpu is None and time.monotonic() - self.started > self.time_limit:
            raise StudentOutOfTime(f"took longer than its {self.time_limit:g} s (this OS can't tell its CPU time)")
        if time.monotonic() > self.deadline:
            raise StudentOutOfTime(f"took longer than {self.deadline_reason}")
        if (self.worker.threads() or 0) > THREADS:
            raise StudentLimit(f"started more than {THREADS} threads")
        self._looks += 1
        if self._looks % FOLDER_EVERY == 0:
            limits, used = self.worker.limits, self.worker.work_usage(MAX_DEPTH)
            if used.bytes > limits.scratch_mb << 20:
                raise StudentLimit(f"wrote more than {limits.scratch_mb} MB of files")
            if used.entries > limits.scratch_files:
                raise StudentLimit(f"made more than {limits.scratch_files} files and folders")
            if used.depth > MAX_DEPTH:
                raise StudentLimit(f"nested folders more than {MAX_DEPTH} deep")

    def _pickle(self, obj: Any) -> tuple[bytes, list[memoryview]]:
        return pickle_request(obj, self._reference, self._loadable)

    def _reference(self, obj: Any) -> tuple[str, Any] | None:
        """Stand-ins in a pickle: a Remote is the worker's own object; a function the worker can't
        import by name (a lambda, a local function, a check's own function) becomes a callback."""
        if isinstance(obj, Remote):
            return ("handle", obj._handle.id)
        if isinstance(obj, types.FunctionType) and not _importable(obj, self._loadable):
            self._callbacks[id(obj)] = obj
            return ("callback", (id(obj), obj.__name__))
        return None

    def _count_callback(self, buffers: list) -> None:
        """What a check's function may be handed, in all, over one question: it may keep every
        argument (q14's stand-ins note each call down), and it runs in the process that grades."""
        self._callback_text += self._last_header
        self._callback_data += sum(len(b) for b in buffers)
        if self._callback_text > CALLBACK_TEXT or self._callback_data > CALLBACK_DATA:
            raise StudentLimit("handed the check's functions more than they take in a question "
                               f"({CALLBACK_DATA >> 20} MB of tensors, {CALLBACK_TEXT >> 20} MB of numbers and text): "
                               "call them with what the question asks, not with data of your own")

    def _run_callback(self, reply: dict, buffers: list[bytes]) -> dict:
        args, kwargs = wire.decode(reply["args"], buffers)
        try:
            return {"return": self._callbacks[reply["callback"]](*args, **kwargs)}
        except Exception as error:  # noqa: BLE001 (reported to the student's code as a RuntimeError)
            return {"raise": f"{type(error).__name__}: {error}"}

    def _sync(self, reply: dict, buffers: list[bytes], mine_by_key: dict[str, torch.Tensor]) -> None:
        """Copy what the call changed into the check's own tensors and modules (`mine_by_key`: its
        tensor arguments, by `tensor_arguments` key)."""
        self._last_changes = (reply.get("arguments", {}), {int(key) for key in reply.get("modules", {})})
        if not reply.get("arguments") and not reply.get("modules"):
            return  # most calls change nothing of the check's
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
        if error["type"] in ("RecursionError", "MemoryError") and not error.get("in_student"):
            return StudentError(f"{self.path.name} can't be compiled ({error['type']}): simplify it")
        if error.get("in_request"):
            return StudentError(f"the check's arguments could not be rebuilt in your code's process ({text}): "
                                "does your code change pickle or torch?")
        if error["type"] == "NotImplementedError" and error.get("in_student"):
            return NotAttempted(text)
        if error["type"] in MEMORY_ERRORS or "can't allocate memory" in error["message"]:
            return StudentOutOfMemory(f"used more than the {self.worker.limits.memory_mb} MB memory limit{where}")
        if error["type"] == "ModuleNotFoundError" and error.get("module"):
            self._check_environment(error["module"])
        if error.get("refused"):
            return StudentError(f"{text}: the grader refuses `{error['refused']}` (an answer may not start programs, "
                                "use sockets, or write or change files outside its own folder)")
        return StudentError(text)

    def _check_environment(self, module: str) -> None:
        """GraderFault when a module the answer could not import is one the grader imports from its
        environment and a worker, tried afresh, can't read: the sandbox's fault, not the student's.
        (A student's code can raise any error it likes, so the error alone proves nothing.)"""
        from .sandbox import trial

        origin = _environment_file(module)
        if not origin:
            return
        folder = tempfile.mkdtemp(prefix="trial-", dir=self.worker.folder.parent)
        try:
            settings = dataclasses.replace(self.worker.settings, folder=folder)
            unreadable = self.worker.source.trial(trial(settings, [], [origin])).unreadable
        finally:
            tree.remove(folder)
        if unreadable:
            raise GraderFault(f"the sandbox can't read {origin} ({module}), which the grader's Python needs: make "
                              "the Python environment readable to the user that grades, or report a bug")

    def _worker_died(self) -> StudentError | StudentLimit:
        """The worker closed its pipe: it ended (os._exit, a crash, a limit), or it closed the pipe itself."""
        status = self.worker.stop(grace=1.0)
        if status is None:
            return StudentError("the exercise closed its connection to the grader")
        if system.out_of_cpu(status):
            return StudentOutOfTime(f"used more than the {self.worker.limits.cpu_seconds} s CPU limit")
        return StudentError(f"the exercise ended its own process ({system.exit_reason(status)})")


def pickle_request(obj: Any, stand_in: Callable[[Any], tuple[str, Any] | None],
                   loadable: set[str]) -> tuple[bytes, list[memoryview]]:
    """A request's frame, and the bytes of its tensors to send after it (see `worker.request_frame`)."""
    buffer, arrays = io.BytesIO(), list[pickle.PickleBuffer]()
    _RequestPickler(buffer, stand_in, loadable, arrays.append).dump(obj)
    raw = [array.raw() for array in arrays]
    return request_frame(buffer.getvalue(), [len(r) for r in raw]), raw


class _RequestPickler(pickle.Pickler):
    """Pickles requests: stand-ins for the worker's objects and the check's callbacks (`worker.stand_in`),
    and a plain CPU tensor whose elements lie in one block as its raw bytes (torch's own pickling is
    several times slower, and sends a view's whole base). Both are found by
    `reducer_override`, which pickle consults only for objects that are not numbers, text or plain
    containers (`persistent_id` would be called for every one). A tensor's bytes (and a numpy
    array's) are handed to `out_of_band`, not copied into the pickle: the channel writes them from
    where they lie, and the worker reads each into the bytearray its tensor takes over. A class from
    a fastquiz module the worker may not load is a mistake in the check (name the module in its
    QUESTION's `sends`)."""

    def __init__(self, file: io.BytesIO, stand_in: Callable[[Any], tuple[str, Any] | None], loadable: set[str],
                 out_of_band: Callable[[pickle.PickleBuffer], None]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL, buffer_callback=out_of_band)
        self.stand_in, self.loadable = stand_in, loadable

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is torch.Tensor:
            return self._raw(obj)
        reference = self.stand_in(obj)
        if reference is not None:
            return stand_in, reference
        if isinstance(obj, type) and not _worker_may_load(obj.__module__, self.loadable):
            raise GraderFault(f"a check sends a {obj.__module__}.{obj.__qualname__} to the student's code: name "
                              f"{obj.__module__} in the question's `sends` (and keep answers out of that module)")
        return NotImplemented

    @staticmethod
    def _raw(tensor: torch.Tensor) -> Any:
        """A tensor as its raw bytes, sent straight from its memory (into a bytearray the worker's
        tensor takes over), where they lie in one block and it has no history; else torch's way.
        A view goes as the block it spans: torch's way sends its base's whole storage, and no more
        keeps it a view of the base in the worker (each tensor unpickles into storage of its own)."""
        if tensor.grad_fn is not None or tensor.device.type != "cpu" or tensor.dtype not in RAW_DTYPES \
                or not tensor.is_contiguous():
            return NotImplemented
        # The buffer of the array itself, never of a memoryview: a memoryview whose memory is another
        # memoryview's can't be collected safely in a reference cycle (an exception's traceback can
        # hold a request's buffers in one): CPython crashes.
        raw = pickle.PickleBuffer(tensor.detach().numpy())  # type: ignore[arg-type]  # numpy's stubs: no buffer protocol before 3.12
        return tensor_from_bytes, (raw, RAW_DTYPES[tensor.dtype], tuple(tensor.shape), tensor.requires_grad)


def _environment_file(module: str) -> str | None:
    """The file the grader itself would import `module` from, when that lies in its Python
    environment (not, say, in the folder it was started in)."""
    import importlib.util

    from .sandbox import environment_rules

    if module.startswith("fastquiz"):
        return None
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not os.path.isfile(spec.origin):
        return None
    origin = os.path.realpath(spec.origin)
    roots = [path for path, _ in environment_rules([])]
    return origin if any(origin == r or origin.startswith(r.rstrip("/") + "/") for r in roots) else None


def _qualified(name: str) -> str:
    """A class's name as its module defines it ("torch.nn.Module" is "torch.nn.modules.module.Module"),
    where this process has that module; else `name` as it is."""
    module, _, attribute = name.rpartition(".")
    found = getattr(sys.modules.get(module), attribute, None)
    return f"{found.__module__}.{found.__qualname__}" if isinstance(found, type) else name


def _importable(function: types.FunctionType, loadable: set[str]) -> bool:
    module = sys.modules.get(function.__module__)
    return module is not None and "<" not in function.__qualname__ and \
        getattr(module, function.__qualname__, None) is function and _worker_may_load(function.__module__, loadable)


def _worker_may_load(module: str, loadable: set[str]) -> bool:
    """Whether the worker has, or may load, `module` (fastquiz's own: only the worker's and those it was given)."""
    return not module.startswith("fastquiz") or module in loadable or module == Request.__module__


def _modules_in(args: tuple, kwargs: dict) -> list[nn.Module]:
    found = []
    for value in (*args, *kwargs.values()):
        items = value if isinstance(value, (list, tuple)) else value.values() if isinstance(value, dict) else [value]
        found += [item for item in items if isinstance(item, nn.Module)]
    return found


def _type_name(value: Any) -> str:
    return value.type_name if isinstance(value, Remote) else type(value).__name__


