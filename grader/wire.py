"""Plain values across a process boundary, in a format that carries no code.

A worker that runs student code answers the grader with messages built by an `Encoder`:
a JSON part whose only types are null, booleans, numbers, strings, lists and objects,
followed by raw buffers. Sets, tuples and dicts keep their kind. Tensors and arrays
travel as raw bytes (one buffer each) with their dtype and shape; a matplotlib Figure
as the data of its lines (and a PNG for the report); anything else as a handle, a
number that names the object inside the worker, with its type's name and the classes
that type derives from. `decode` rebuilds fresh objects of
exact built-in types on the grader's side, so nothing the student defined (a subclass
whose `__eq__` always says yes, a tensor subclass that lies) can reach the code that
decides points.

Encoding reads values through the base classes' own methods (`int.__int__(x)`,
`list.__iter__(x)`, ...), so a subclass's overrides are never consulted. torch is imported only
where a tensor is in play: a process that never loaded it (a trial worker) starts in a tenth of the time.
"""
from __future__ import annotations

import io
import json
import math
import os
import select
import struct
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

if TYPE_CHECKING:
    import torch

MAX_MESSAGE = 256 << 20  # bytes: a larger frame is refused, not read (r2's 60,000 training digits are 188 MB)
MAX_HEADER = 16 << 20  # bytes of a message's JSON part: numbers and text beyond that belong in tensors
MAX_ITEMS = 1_000_000  # values in a message's JSON part: each becomes a Python object of up to ~200 bytes


class TooLarge(Exception):
    """A message past the limits: refused before it is read or decoded, so it can't take the grader's memory."""


@dataclass(frozen=True)
class Handle:
    """An object that stayed in the worker (a model, a class, a custom object), with the classes its
    type derives from (`module.qualname`, itself first; the worker's word, as every reply is)."""

    id: int
    type_name: str
    bases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureData:
    """What a matplotlib Figure plotted: each axes' lines as (x, y) arrays, plus a PNG when one
    was asked for (empty otherwise: rendering costs a tenth of a second)."""

    lines: list[tuple[np.ndarray, np.ndarray]]
    png: bytes

    @property
    def type_name(self) -> str:
        return "Figure"


class Encoder:
    """Encodes the values of one message: `encode` gives their JSON-ready form, `buffers` the
    raw bytes of their arrays; `keep(obj)` stores a non-plain object and returns its id."""

    def __init__(self, keep: Callable[[Any], int], png: bool = False):
        self.keep, self.png = keep, png  # png: render each Figure too (for the report)
        self.buffers: list[bytes] = []

    def encode(self, value: Any) -> Any:
        if value is None or type(value) is bool:
            return value
        if isinstance(value, bool):
            return bool(int.__int__(value))
        if isinstance(value, int):
            return {"int": str(int.__int__(value))}  # as text: JSON numbers lose precision past 2**53
        if isinstance(value, float):
            number = float.__float__(value)
            return number if math.isfinite(number) else {"float": repr(number)}
        if isinstance(value, str):
            return {"str": str.__str__(value)}
        if isinstance(value, (bytes, bytearray)):
            return {"bytes": self._buffer(bytes(value))}
        if isinstance(value, tuple):
            return {"tuple": [self.encode(v) for v in tuple.__iter__(value)]}
        if isinstance(value, list):
            return {"list": [self.encode(v) for v in list.__iter__(value)]}
        if isinstance(value, dict):
            return {"dict": [[self.encode(k), self.encode(v)] for k, v in dict.items(value)]}
        if isinstance(value, set):
            return {"set": [self.encode(v) for v in set.__iter__(value)]}
        if isinstance(value, frozenset):
            return {"set": [self.encode(v) for v in frozenset.__iter__(value)]}
        if _is_tensor(value):
            return self._array(_tensor_to_numpy(value), "tensor")
        if isinstance(value, np.ndarray):
            return self._array(np.ndarray.copy(value), "array")
        if isinstance(value, np.generic):
            return self._array(np.asarray(value), "scalar")
        if _is_figure(value):
            return self._figure(value)
        return {"handle": self.keep(value), "type": type(value).__qualname__, "bases": _bases(type(value))}

    def _buffer(self, data: bytes) -> int:
        self.buffers.append(data)
        return len(self.buffers) - 1

    def _array(self, array: np.ndarray, kind: str) -> dict:
        if array.dtype == object or array.dtype.kind in "OVUS":
            raise TypeError(f"arrays of {array.dtype} can't be sent")
        return {"array": self._buffer(np.ascontiguousarray(array).tobytes()),
                "dtype": array.dtype.str, "shape": list(array.shape), "kind": kind}

    def _figure(self, figure) -> dict:
        lines = [
            [self._array(np.asarray(line.get_xdata(), dtype=float), "array"),
             self._array(np.asarray(line.get_ydata(), dtype=float), "array")]
            for axes in figure.axes for line in axes.get_lines()
        ]
        if not self.png:
            return {"figure": lines}
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=80)
        return {"figure": lines, "png": self._buffer(png.getvalue())}


def decode(data: Any, buffers: Sequence[bytes | memoryview]) -> Any:
    """Plain Python, numpy and torch objects from an `Encoder`'s output (untrusted input),
    given the buffers of the message it came in."""
    if data is None or isinstance(data, (bool, float)):
        return data
    if isinstance(data, list):
        raise ValueError("a bare list is not part of the format")
    if not isinstance(data, dict) or len(data) not in (1, 2, 3, 4):
        raise ValueError(f"unexpected value in a worker's reply: {type(data).__name__}")
    if "int" in data:
        return int(data["int"])
    if "float" in data:
        return float(data["float"])
    if "str" in data:
        return str(data["str"])
    if "bytes" in data:
        return bytes(_buffer(data["bytes"], buffers))
    if "tuple" in data:
        return tuple(decode(v, buffers) for v in data["tuple"])
    if "list" in data:
        return [decode(v, buffers) for v in data["list"]]
    if "dict" in data:
        return {_hashable(decode(k, buffers)): decode(v, buffers) for k, v in data["dict"]}
    if "set" in data:
        return {_hashable(decode(v, buffers)) for v in data["set"]}
    if "array" in data:
        array = _decode_array(data, buffers)
        if data["kind"] == "tensor":
            import torch

            return torch.from_numpy(array)
        return array[()] if data["kind"] == "scalar" else array
    if "figure" in data:
        lines = [(_decode_array(x, buffers), _decode_array(y, buffers)) for x, y in data["figure"]]
        return FigureData(lines, bytes(_buffer(data["png"], buffers)) if "png" in data else b"")
    if "handle" in data:
        bases = data.get("bases", [])
        if not isinstance(bases, list) or not all(isinstance(b, str) for b in bases):
            raise ValueError("a handle's bases are not a list of names")
        return Handle(int(data["handle"]), str(data["type"]), tuple(bases))
    raise ValueError(f"unexpected value in a worker's reply: keys {sorted(data)}")


def message(payload: Any, buffers: Sequence[bytes] = ()) -> bytes:
    """A message as one frame: its JSON part (`payload`, which refers to `buffers` by position),
    then the buffers, raw: the JSON part's length, the JSON, the buffers' bytes."""
    header = json.dumps({"payload": payload, "sizes": [len(b) for b in buffers]}).encode()
    return b"".join([struct.pack(">I", len(header)), header, *buffers])


def send_bytes(fd: int, body: bytes, deadline: float | None = None) -> None:
    """A length-prefixed frame of bytes on a pipe; TimeoutError when `deadline` (a time.monotonic() value)
    passes before the other side has taken it all. A frame larger than the pipe's buffer waits
    for the reader: a deadline holds only where `fd` is non-blocking (`os.set_blocking`)."""
    view = memoryview(struct.pack(">I", len(body)) + body)
    while view:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        _, ready, _ = select.select([], [fd], [], timeout)
        if not ready:
            raise TimeoutError
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:  # another writer filled the pipe first: wait again
            pass


def parse(data: bytes | bytearray) -> tuple[Any, list[memoryview]]:
    """A frame made by `message`: its payload and its buffers (untrusted input). ValueError when
    the frame is not a well-formed message, TooLarge when its JSON part is past the limits."""
    frame = memoryview(data)
    if len(frame) < 4:
        raise ValueError("a message too short for its header")
    (size,) = struct.unpack(">I", frame[:4])
    header = _parse_header(bytes(frame[4:4 + size]))
    if not isinstance(header, dict) or not isinstance(header.get("sizes"), list):
        raise ValueError("a message without its list of buffers")
    buffers, offset = [], 4 + size
    for length in header["sizes"]:
        if type(length) is not int or length < 0 or offset + length > len(frame):
            raise ValueError("a message whose buffers don't add up")
        buffers.append(frame[offset:offset + length])
        offset += length
    if offset != len(frame):
        raise ValueError("a message whose buffers don't add up")
    return header.get("payload"), buffers


def _parse_header(data: bytes) -> Any:
    """The JSON part, parsed only when what it can build is bounded: every value but null, true and
    false takes a bracket or a comma, so their count bounds the objects json.loads makes."""
    if len(data) > MAX_HEADER:
        raise TooLarge(f"the answer returned {_mb(len(data))} of numbers and text; the limit is {_mb(MAX_HEADER)}"
                       ": return tensors, not long Python lists")
    items = data.count(b",") + data.count(b"[") + data.count(b"{")
    if items > MAX_ITEMS:
        raise TooLarge(f"the answer returned about {items:,} Python values; the limit is {MAX_ITEMS:,}: "
                       "return tensors, not long Python lists")
    return json.loads(data)


def receive_bytes(fd: int, deadline: float | None = None) -> bytearray:
    """One frame from `send_bytes`: EOFError when the other side is gone, TimeoutError when
    `deadline` passes first, TooLarge, without reading it, when it is over MAX_MESSAGE."""
    (size,) = struct.unpack(">I", _read_exactly(fd, 4, deadline))
    if size > MAX_MESSAGE:
        raise TooLarge(f"the answer returned {_mb(size)}; the limit is {_mb(MAX_MESSAGE)}")
    return _read_exactly(fd, size, deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytearray:
    """`size` bytes, read straight into one buffer (a frame is never held twice)."""
    frame = bytearray(size)
    view, done = memoryview(frame), 0
    while done < size:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError
        count = os.readv(fd, [view[done:]])
        if not count:
            raise EOFError("the worker's pipe closed")
        done += count
    return frame


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size:,} bytes"


def _bases(kind: type) -> list[str]:
    """The classes `kind` derives from, by qualified name, `object` left out: read through `type`'s own
    descriptors, so that a metaclass's `__mro__` or `__qualname__` of its own is never consulted."""
    mro, module, qualname = (type.__dict__[name] for name in ("__mro__", "__module__", "__qualname__"))
    names = [(module.__get__(base), qualname.__get__(base)) for base in mro.__get__(kind)[:-1]]
    return [f"{m}.{q}" for m, q in names if type(m) is str and type(q) is str]  # a class body may set any __module__


def _is_tensor(value: Any) -> bool:
    """A torch tensor (none can exist where torch was never imported: a trial worker, say)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _tensor_to_numpy(tensor: "torch.Tensor") -> np.ndarray:
    torch = sys.modules["torch"]  # loaded, as a tensor exists (an import statement would go through a worker's import guard)
    with torch._C.DisableTorchFunctionSubclass():  # a subclass's __torch_function__ is not consulted
        plain = torch.Tensor.detach(tensor).cpu()
        if plain.dtype == torch.bfloat16:
            plain = plain.float()
        return plain.contiguous().numpy()  # a view: `Encoder._array` copies its bytes at once


def _buffer(index: Any, buffers: Sequence[bytes | memoryview]) -> bytes | memoryview:
    if type(index) is not int or not 0 <= index < len(buffers):
        raise ValueError(f"a reference to buffer {index!r} of {len(buffers)}")
    return buffers[index]


def _decode_array(data: dict, buffers: Sequence[bytes | memoryview]) -> np.ndarray:
    dtype = np.dtype(str(data["dtype"]))
    if dtype.kind not in "biufc":
        raise ValueError(f"unexpected dtype {dtype} in a worker's reply")
    shape = tuple(int(n) for n in data["shape"])
    return np.frombuffer(_buffer(data["array"], buffers), dtype=dtype).reshape(shape).copy()


def _is_figure(value: Any) -> bool:
    """A matplotlib Figure (only once the student's code has loaded matplotlib)."""
    figure_module = sys.modules.get("matplotlib.figure")
    return figure_module is not None and isinstance(value, figure_module.Figure)


def _hashable(key: Any) -> Any:
    if isinstance(key, list):
        return tuple(_hashable(k) for k in key)
    if _is_tensor(key) or isinstance(key, np.ndarray):
        raise ValueError("a tensor can't be a dict key")
    return key
