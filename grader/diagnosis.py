"""Feedback that names the mistake: a failing part's calls compared with the bank's known mistakes.

The mutants in `tests/variants/` are the model answers with one real misconception each.
`scripts/build_mistakes.py` runs the model answer and every mutant through each part of its
question (in-process: the mutants are ours) and writes `checks/_mistakes.json.gz`: per part, the
fingerprint of the arguments of each call a check makes to a student's function, beside what the
model answer and each mutant gave back (their outputs only, never their source; the student's
copy of the checks already says what the model answer computes).

While a part runs, the `Student` notes each call of a function named in the table for that part
(`CallLog`): the fingerprint of its arguments, taken before the call, and what came back (the
value, what the call changed in its tensor arguments and modules, or the error it raised), cut to
`SAMPLE` numbers per array. When the part fails, `diagnose` compares the student's outputs on the
calls that are in the table with each mutant's: a mutant matches when it agrees with the student
on every such call (within `RTOL`/`ATOL`, exactly for integers, text and errors) and differs
from the model answer on at least one of them. Exactly one mistake matching (mutants that share a
description are one mistake) names it; none or several, nothing: never a guess.

Nothing here changes a verdict or a point: a diagnosis is text shown after the part's message.
"""
from __future__ import annotations

import base64
import copy
import functools
import gc
import gzip
import hashlib
import json
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import torch
from torch import nn

from .wire import FigureData

TABLE = Path(__file__).with_name("checks") / "_mistakes.json.gz"
FORMAT = 1  # the table's layout; a table of another is ignored
RTOL, ATOL = 1e-4, 1e-5  # what the checks' `assert_close` allows by default
SAMPLE = 128  # numbers kept of an array: evenly spaced over its flattened values, both ends included
FINGERPRINT_BYTES = 4 << 20  # arguments holding more tensor data than this are not noted (hashing costs ~1 ms a MB)
MAX_DEPTH = 8  # how deep nested arguments are looked into
MAX_CALLS = 2_000  # calls noted per part: a shrinking hypothesis makes a few hundred at most
# The objects left in the student's process whose type says what they are (a class where an instance belongs, a
# lazy zip where a list does); any other (a model, an instance of the student's class) compares with any other.
TELLING_TYPES = frozenset({"type", "function", "builtin_function_or_method", "method", "method-wrapper", "zip", "map",
                           "filter", "generator", "range", "enumerate", "reversed", "dict_keys", "dict_values",
                           "dict_items", "list_iterator", "tuple_iterator", "module"})
VALUE = "value:"  # before a name the student gives a value (a letter, a number), in the table's calls
SENT = ("fastquiz.reference.", "fastquiz.grader.probes")  # where the objects that checks send come from


class NotComparable(Exception):
    """A value with no fingerprint or no comparable form (an object that stayed in the student's process)."""


# -- fingerprints of arguments ---------------------------------------------------------------------
def fingerprint(function: str, args: tuple, kwargs: dict) -> str | None:
    """A stable digest of a call's function name and argument values (tensors by type, dtype, shape,
    bytes and gradient; numbers, text, containers, modules by state, functions by name), or None
    where an argument has none (an object of the student's, more than FINGERPRINT_BYTES of data)."""
    hasher = _Hasher()
    try:
        hasher.add(function, 0)
        hasher.add(args, 0)
        hasher.add(kwargs, 0)
    except Exception:  # noqa: BLE001 (NotComparable, or an object that can't be read: the call is not noted)
        return None
    return hasher.digest()


class _Hasher:
    """What a fingerprint digests, gathered as chunks of bytes."""

    def __init__(self) -> None:
        self.chunks: list[bytes | memoryview] = []
        self.data = 0  # bytes of tensors and arrays gathered so far

    def digest(self) -> str:
        """The SHA-256 of the chunks put together: the small ones joined (one call to the hash, not one
        a chunk), a tensor's bytes hashed where they lie (not copied into the join)."""
        digest, small = hashlib.sha256(), list[bytes | memoryview]()
        for chunk in self.chunks:
            if len(chunk) < 1 << 16:
                small.append(chunk)
                continue
            digest.update(b"".join(small))
            small.clear()
            digest.update(chunk)
        digest.update(b"".join(small))
        return digest.hexdigest()[:32]

    def tag(self, kind: bytes, text: str = "") -> None:
        encoded = text.encode("utf-8", "surrogatepass")
        self.chunks += (kind, len(encoded).to_bytes(8, "big"), encoded)

    def add(self, value: Any, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise NotComparable("nested too deep")
        kind = type(value)
        if value is None or kind in (bool, int, str) or value is Ellipsis:
            self.tag(b"v", f"{kind.__name__}:{value}")
        elif kind is float:
            self.tag(b"f", float.hex(value))
        elif kind is bytes:
            self.tag(b"y", value.hex())
        elif isinstance(value, torch.Tensor):
            self.tensor(value, depth)
        elif isinstance(value, (np.ndarray, np.generic)):
            self.array(np.asarray(value))
        elif kind in (list, tuple):
            self.tag(b"l" if kind is list else b"t", str(len(value)))
            for item in value:
                self.add(item, depth + 1)
        elif kind is dict:
            self.tag(b"d", str(len(value)))
            for key, item in value.items():
                self.add(key, depth + 1)
                self.add(item, depth + 1)
        elif kind in (set, frozenset):
            self.tag(b"s", ",".join(sorted(fingerprint("", (item,), {}) or _unhashable() for item in value)))
        elif isinstance(value, nn.Module):
            self.module(value, depth)
        elif isinstance(value, (torch.dtype, torch.device, torch.Size, range, slice)):
            self.tag(b"r", repr(value))
        elif isinstance(value, torch.Generator):
            self.tag(b"g")
            self.tensor(value.get_state(), depth)
        elif isinstance(value, types.FunctionType):
            self.function(value, depth)
        elif isinstance(value, (types.BuiltinFunctionType, types.BuiltinMethodType, type)):
            self.tag(b"b", f"{getattr(value, '__module__', '')}.{value.__qualname__}")
        elif isinstance(value, functools.partial):
            self.tag(b"p")
            self.add((value.func, value.args, value.keywords), depth + 1)
        elif callable(getattr(kind, "noted_as", None)):  # the student's own function, by its name
            self.tag(b"S", value.noted_as())
        elif kind.__module__.startswith(SENT) and hasattr(value, "__dict__"):
            self.tag(b"o", f"{kind.__module__}.{kind.__qualname__}")  # a DataLoaders, a probe: by its state
            self.add(dict(vars(value)), depth + 1)
        else:  # a Remote (an object of the student's), or anything else: the call is not noted
            raise NotComparable(kind.__name__)

    def tensor(self, value: torch.Tensor, depth: int) -> None:
        if value.layout != torch.strided or value.is_quantized:
            raise NotComparable("a sparse or quantized tensor")
        plain = value.detach().cpu().reshape(-1).contiguous()
        self.data += plain.numel() * plain.element_size()
        if self.data > FINGERPRINT_BYTES:
            raise NotComparable("too much data to fingerprint")
        self.tag(b"T", f"{type(value).__qualname__}:{plain.dtype}:{tuple(value.shape)}:{value.requires_grad}")
        self.chunks.append(plain.view(torch.uint8).numpy().data if plain.numel() else b"")
        self.add(value.grad if value.is_leaf else None, depth + 1)

    def array(self, value: np.ndarray) -> None:
        if value.dtype.kind not in "biufc":
            raise NotComparable(f"an array of {value.dtype}")
        self.data += value.nbytes
        if self.data > FINGERPRINT_BYTES:
            raise NotComparable("too much data to fingerprint")
        self.tag(b"A", f"{value.dtype.str}:{value.shape}")
        self.chunks.append(np.ascontiguousarray(value).tobytes())

    def module(self, value: nn.Module, depth: int) -> None:
        self.tag(b"M", f"{value.training}:" + ",".join(f"{type(m).__module__}.{type(m).__qualname__}"
                                                      for m in value.modules()))
        for name, tensor in value.state_dict(keep_vars=True).items():
            self.tag(b"n", name)
            self.tensor(tensor, depth + 1)

    def function(self, value: types.FunctionType, depth: int) -> None:
        code = value.__code__
        self.tag(b"F", f"{value.__module__}.{value.__qualname__}:{code.co_firstlineno}")
        self.add(value.__defaults__, depth + 1)
        for cell in value.__closure__ or ():
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell
                contents = None
            self.add(contents, depth + 1)


def _unhashable() -> str:
    raise NotComparable("an item with no fingerprint")


# -- what a call gave back, in a form that compares --------------------------------------------------
def comparable(value: Any, depth: int = 0) -> Any:
    """`value` (as decoded from the worker) in the table's form: None, bools, numbers, text, lists,
    {"dict": [[key, value]...]}, numpy arrays of at most SAMPLE numbers (`Sampled`), figures as
    their lines; NotComparable for an object that stayed in the student's process."""
    if depth > MAX_DEPTH:
        raise NotComparable("nested too deep")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if isinstance(value, (torch.Tensor, np.ndarray, np.generic)):
        return Sampled.of(value)
    if kind is list:
        return [comparable(item, depth + 1) for item in _spread(value)]
    if kind is tuple:
        return {"tuple": [comparable(item, depth + 1) for item in _spread(list(value))]}
    if kind is dict:
        return {"dict": sorted(([comparable(k, depth + 1), comparable(v, depth + 1)] for k, v in value.items()),
                               key=lambda pair: json.dumps(pair[0], cls=_Encoder))}
    if kind in (set, frozenset):
        return {"set": sorted((comparable(item, depth + 1) for item in value), key=lambda x: json.dumps(x, cls=_Encoder))}
    if isinstance(value, FigureData):
        return {"figure": [[Sampled.of(x), Sampled.of(y)] for x, y in value.lines]}
    if isinstance(value, nn.Module):  # one of the check's own, handed back
        return {"module": [kind.__qualname__, comparable(dict(value.state_dict()), depth + 1)]}
    if isinstance(getattr(kind, "type_name", None), property):  # a Remote: an object that stayed with the student
        return {"object": value.type_name if value.type_name in TELLING_TYPES else "other"}
    raise NotComparable(kind.__name__)


def _spread(items: list) -> list:
    """At most SAMPLE items, evenly spaced, the first and the last included."""
    if len(items) <= SAMPLE:
        return items
    return [items[i] for i in np.linspace(0, len(items) - 1, SAMPLE).round().astype(int)]


@dataclass(frozen=True)
class Sampled:
    """An array's shape, kind (f, i, b, c: as numpy names them) and at most SAMPLE of its numbers."""

    shape: tuple[int, ...]
    kind: str
    values: np.ndarray

    @classmethod
    def of(cls, value: torch.Tensor | np.ndarray | np.generic) -> Any:
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu()
            array = (value.float() if value.dtype == torch.bfloat16 else value).numpy()
        else:
            array = np.asarray(value)
        if array.dtype.kind not in "biuf":
            raise NotComparable(f"an array of {array.dtype}")
        if array.ndim == 0:  # a one-number tensor compares as the number it holds
            return array.item()
        flat = array.reshape(-1)
        if flat.size > SAMPLE:
            flat = flat[np.linspace(0, flat.size - 1, SAMPLE).round().astype(int)]
        kind = "i" if array.dtype.kind == "u" else array.dtype.kind
        return cls(tuple(array.shape), kind, flat.astype(np.float64 if kind == "f" else np.int64))


def same(got: Any, expected: Any) -> bool:
    """Whether two values in the table's form agree: numbers within RTOL/ATOL (integers exactly),
    the rest exactly."""
    if isinstance(got, bool) or isinstance(expected, bool) or got is None or expected is None:
        return type(got) is type(expected) and got == expected
    if isinstance(got, (int, float)) and isinstance(expected, (int, float)):
        if isinstance(got, int) and isinstance(expected, int):
            return got == expected
        return _close(np.float64(got), np.float64(expected))
    if isinstance(got, Sampled) and isinstance(expected, Sampled):
        if got.shape != expected.shape or len(got.values) != len(expected.values):
            return False
        if got.kind == expected.kind == "b" or (got.kind in "ib" and expected.kind in "ib"):
            return bool(np.array_equal(got.values, expected.values))
        return _close(got.values.astype(np.float64), expected.values.astype(np.float64))
    if isinstance(got, list) and isinstance(expected, list):
        return len(got) == len(expected) and all(same(g, e) for g, e in zip(got, expected))
    if isinstance(got, dict) and isinstance(expected, dict):
        return got.keys() == expected.keys() and all(same(got[k], expected[k]) for k in got)
    return type(got) is type(expected) and got == expected


def _close(got: np.ndarray | np.float64, expected: np.ndarray | np.float64) -> bool:
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=True))


# -- the calls of a part, as they are made -----------------------------------------------------------
@dataclass
class Call:
    function: str
    fingerprint: str
    output: Any  # in the table's form: {"value": ..., "changed": {...}} or {"raised": "Type: message"}


@dataclass
class CallLog:
    """The calls of one part to the student's functions in `functions` (all of them when None),
    whose fingerprints are in `known` (all when None), at most MAX_CALLS. `keep_arguments` keeps a
    copy of each call's arguments too, as they were before it (for `scripts/build_mistakes.py`,
    which calls the other variants with them)."""

    functions: frozenset[str] | None = None
    known: frozenset[str] | None = None
    keep_arguments: bool = False
    calls: list[Call] = field(default_factory=list)
    arguments: list[tuple[tuple, dict] | None] = field(default_factory=list)

    def wants(self, function: str) -> bool:
        return len(self.calls) < MAX_CALLS and (self.functions is None or function in self.functions)

    def key(self, function: str, args: tuple, kwargs: dict) -> str | None:
        """The fingerprint of a call about to be made, when it is one to note; None otherwise."""
        if not self.wants(function):
            return None
        key = fingerprint(function, args, kwargs)
        return key if key is not None and (self.known is None or key in self.known) else None

    def before(self, args: tuple, kwargs: dict) -> tuple[tuple, dict] | None:
        """A copy of a call's arguments, taken before it, where they are kept (None where they can't be
        copied). The student's functions among them stay themselves; tensors keep their type and gradient."""
        return copy_arguments(args, kwargs) if self.keep_arguments else None

    def note_value(self, name: str, value: Any) -> None:
        """A value the student gave (a letter, a number) as the part read it: noted as a call of
        `VALUE + name` with no arguments."""
        function = VALUE + name
        key = self.key(function, (), {})
        if key is not None:
            try:
                self.note(function, key, {"value": comparable(value)}, ((), {}))
            except Exception:  # noqa: BLE001 (NotComparable: an object that stayed in the worker)
                pass

    def note(self, function: str, key: str, output: dict, arguments: tuple[tuple, dict] | None = None) -> None:
        self.calls.append(Call(function, key, output))
        if self.keep_arguments:
            self.arguments.append(arguments)


def copy_arguments(args: tuple, kwargs: dict) -> tuple[tuple, dict] | None:
    """A deep copy of a call's arguments (None where they can't be copied), in which the student's
    functions stay themselves and tensors keep their type and gradient."""
    memo: dict[int, Any] = {}
    for value in _shallow((args, kwargs)):
        if callable(getattr(type(value), "noted_as", None)):
            memo[id(value)] = value
        elif isinstance(value, torch.Tensor) and value.is_leaf:
            memo[id(value)] = _copy_tensor(value)
    try:
        return copy.deepcopy((args, kwargs), memo)
    except Exception:  # noqa: BLE001 (a tensor that is the result of an operation, say)
        return None


def _shallow(arguments: tuple[tuple, dict]) -> Iterable[Any]:
    """The arguments of a call, and the items of those that are lists, tuples or dicts."""
    args, kwargs = arguments
    for value in (*args, *kwargs.values()):
        yield value
        if type(value) in (list, tuple):
            yield from value
        elif type(value) is dict:
            yield from value.values()


def _copy_tensor(tensor: torch.Tensor) -> torch.Tensor:
    copied = tensor.detach().clone()
    if type(tensor) is not torch.Tensor:
        copied = copied.as_subclass(type(tensor))
    copied.requires_grad_(tensor.requires_grad)
    if tensor.grad is not None:
        copied.grad = tensor.grad.detach().clone()
    return copied


def outcome(value: Any, changed: dict[str, torch.Tensor | None], modules: dict[str, nn.Module]) -> dict:
    """A call's output in the table's form: the value it returned, what it changed of its tensor
    arguments ("0", "1.2": by position, and "0.grad" for a gradient) and of the modules among its
    arguments (by position), each cut to SAMPLE numbers. NotComparable when the value can't be compared."""
    found: dict[str, Any] = {"value": comparable(value)}
    if changed:
        found["changed"] = {key: comparable(tensor) for key, tensor in sorted(changed.items())}
    if modules:
        found["modules"] = {key: comparable(dict(module.state_dict())) for key, module in sorted(modules.items())}
    return found


def raised(error: dict) -> dict:
    """The output of a call that raised, from the worker's account of the error (its type and first line)."""
    return {"raised": f"{error.get('type', '')}: {error.get('message', '')}"}


# -- the table ---------------------------------------------------------------------------------------
@dataclass
class PartTable:
    """One part's known calls: by fingerprint, the function, the model answer's output, and the
    outputs of the mutants that gave another (by the mutant's number in its question's list)."""

    calls: dict[str, tuple[str, Any, dict[int, Any]]]


@dataclass
class QuestionTable:
    descriptions: list[str]  # each mutant's, in the order of its question's MUTANTS
    parts: dict[str, PartTable]


@functools.cache
def table(path: Path = TABLE) -> dict[str, dict]:
    """The table's questions as read, by module (read once per process; empty when it is missing or of another
    format). Their outputs are decoded when one of the question's parts is first diagnosed (`question_table`)."""
    collecting = gc.isenabled()
    gc.disable()  # the thousands of objects it makes would start full collections of torch's: ten times the time
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError):
        return {}
    finally:
        if collecting:
            gc.enable()
    return data.get("questions", {}) if data.get("format") == FORMAT else {}


@functools.cache
def question_table(module: str) -> QuestionTable | None:
    question = table().get(module)
    if question is None:
        return None
    return QuestionTable(question["mistakes"], {
        part: PartTable({key: (call["function"], decoded(call["model"]),
                               {int(k): decoded(v) for k, v in call["mistakes"].items()})
                         for key, call in calls.items()})
        for part, calls in question["parts"].items()})


def log_for(module: str, part: str) -> CallLog | None:
    """A log for a part that has known calls, or None where the table has none (nothing is noted then).
    It reads the table's calls as stored: their outputs are decoded only to diagnose a failure."""
    question = table().get(module)
    calls = question["parts"].get(part) if question else None
    if not calls:
        return None
    return CallLog(functions=frozenset(call["function"] for call in calls.values()), known=frozenset(calls))


def diagnose(module: str, part: str, calls: Iterable[Call]) -> str | None:
    """The description of the one known mistake that behaves like the student on the part's calls, or None."""
    found = question_table(module)
    part_table = found.parts.get(part) if found else None
    if found is None or part_table is None:
        return None
    return match(found.descriptions, part_table, calls)


def of_failure(module: str, part: str, error: BaseException | None, calls: Iterable[Call]) -> str | None:
    """A part's diagnosis in words: when it failed by an assertion of its check or by an error of the
    answer's code, the one known mistake its calls behave like; None otherwise (it passed, it ran into
    a limit, a check broke, no mistake or several match)."""
    from .answers import StudentError

    while isinstance(error, BaseExceptionGroup):  # e.g. hypothesis's FlakyFailure: what it holds
        error = error.exceptions[0]
    if not isinstance(error, (AssertionError, StudentError)):
        return None
    found = diagnose(module, part, calls)
    return words(found) if found else None


def match(descriptions: list[str], part_table: PartTable, calls: Iterable[Call]) -> str | None:
    """The description shared by every mutant that agrees with `calls` wherever the table knows its
    output, and differs from the model answer on at least one of them; None unless that is exactly one."""
    known = [(part_table.calls[call.fingerprint], call.output) for call in calls if call.fingerprint in part_table.calls]
    like_model: list[bool | None] = [None] * len(known)  # the student's output against the model answer's, once
    found = set()
    for number, description in enumerate(descriptions):
        differs, agrees = False, True
        for i, ((_, model, mistakes), output) in enumerate(known):
            expected = mistakes.get(number, model)
            if expected is None:  # this mutant's output there is not known
                continue
            if number in mistakes:
                agrees = same(output, expected)
            else:  # this mutant gives what the model answer gives, as most do on most calls
                if like_model[i] is None:
                    like_model[i] = same(output, model)
                agrees = bool(like_model[i])
            if not agrees:
                break
            differs = differs or number in mistakes
        if agrees and differs:
            found.add(description)
    return found.pop() if len(found) == 1 else None


def words(description: str) -> str:
    """How a diagnosis reads, after the part's own message."""
    return f"This looks like {description.rstrip('.')}."


# -- the table's file ---------------------------------------------------------------------------------
def dump(data: dict) -> bytes:
    """The table as written to TABLE: JSON (arrays as {"shape", "kind", "data"}: their numbers in base64),
    gzipped with no time stamp."""
    text = json.dumps(data, cls=_Encoder, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode(), mtime=0)


class _Encoder(json.JSONEncoder):
    def default(self, value: Any) -> Any:
        if isinstance(value, Sampled):
            return {"shape": list(value.shape), "kind": value.kind,
                    "data": base64.b64encode(value.values.astype(STORED[value.kind]).tobytes()).decode()}
        return super().default(value)


STORED = {"f": "<f4", "i": "<i8", "b": "|u1"}  # how an array's numbers are kept: the tolerance is far above float32's rounding


def decoded(data: Any) -> Any:
    """An output as read from the table's JSON, with its arrays back as `Sampled`."""
    if isinstance(data, list):
        return [decoded(item) for item in data]
    if not isinstance(data, dict):
        return data
    if data.keys() == {"shape", "kind", "data"}:
        values = np.frombuffer(base64.b64decode(data["data"]), dtype=STORED[data["kind"]])
        return Sampled(tuple(data["shape"]), data["kind"], values.astype(np.float64 if data["kind"] == "f" else np.int64))
    return {key: decoded(value) for key, value in data.items()}
