"""How two grader processes talk: frames of bytes on a multiprocessing Connection, with deadlines.

One transport on every platform: a Connection is a Unix socket pair (or pipe) on Linux and
macOS, a named pipe on Windows, and it frames messages itself. Waiting for a frame is bounded
by `poll`; a frame that starts and never ends, or a send into a peer that stopped reading,
would still block, so each blocking call is watched: past its deadline the watchdog calls
`on_stuck` (kill the peer), which ends the call.
"""
from __future__ import annotations

import os
import select
import struct
import threading
import time
from multiprocessing import BufferTooShort
from multiprocessing.connection import Connection
from typing import Callable, Sequence

from . import wire


class Channel:
    def __init__(self, connection: Connection, on_stuck: Callable[[], None] = lambda: None):
        """`on_stuck`: what ends a call still blocked at its deadline (killing the other side)."""
        self.connection, self.on_stuck = connection, on_stuck
        self._poller: select.poll | None = None  # made at the first wait (`Connection.poll` makes a selector each time)

    def send(self, frame: bytes, deadline: float | None = None, buffers: Sequence[memoryview] = ()) -> None:
        """Send a frame, then each of `buffers` as a frame of its own (large arrays of bytes, written
        from where they lie: no copy is made of them here); TimeoutError when `deadline` (a
        time.monotonic() value) passes first."""
        with _watched(deadline, self.on_stuck):
            self.connection.send_bytes(frame)
            for buffer in buffers:
                self.connection.send_bytes(buffer)

    def wait(self, timeout: float) -> bool:
        """Whether a frame (or the end of the channel) is there to be read within `timeout` seconds."""
        if not hasattr(select, "poll"):  # Windows: a named pipe
            return self.connection.poll(timeout)
        if self._poller is None:
            self._poller = select.poll()
            self._poller.register(self.connection.fileno(), select.POLLIN)
        return bool(self._poller.poll(max(0.0, timeout) * 1000))

    def receive(self, deadline: float | None = None) -> bytes:
        """The next frame: EOFError at the end, TimeoutError past `deadline`, wire.TooLarge past the
        limit (refused unread)."""
        if deadline is not None and not self.wait(deadline - time.monotonic()):
            raise TimeoutError
        with _watched(deadline, self.on_stuck):
            try:
                return self.connection.recv_bytes(wire.MAX_MESSAGE)
            except OSError as error:
                if "bad message length" in str(error):
                    raise wire.TooLarge(f"the answer returned more than {wire.MAX_MESSAGE >> 20} MB; "
                                        f"the limit is {wire.MAX_MESSAGE >> 20} MB") from None
                raise EOFError(str(error)) from None

    def receive_into(self, size: int) -> bytearray:
        """The next frame, of `size` bytes, read into a bytearray of its own (which an array can take
        over); ValueError when it is of another size. For frames from a trusted sender only."""
        buffer = bytearray(size)
        if _DIRECT and type(self.connection) is Connection:  # a socket or pipe: read straight into the buffer
            fd = self.connection.fileno()
            announced = _frame_size(fd)
            if announced != size:
                _read_exactly(fd, memoryview(bytearray(announced)))  # past it, to the next frame
                raise ValueError(f"a frame of {announced} bytes where {size} were announced")
            _read_exactly(fd, memoryview(buffer))
            return buffer
        try:  # a named pipe (Windows)
            received = self.connection.recv_bytes_into(buffer)
        except BufferTooShort:
            raise ValueError(f"a frame longer than the {size} bytes announced") from None
        if received != size:
            raise ValueError(f"a frame of {received} bytes where {size} were announced")
        return buffer

    def close(self) -> None:
        self._poller = None
        self.connection.close()


_DIRECT = hasattr(os, "readv")  # POSIX: a Connection's descriptor can be read from here


def _frame_size(fd: int) -> int:
    """The size of the next frame a multiprocessing Connection sent down `fd`, from its header: a
    signed 4-byte size, or -1 and an 8-byte one for a frame of 2 GiB or more (as `Connection.send_bytes`
    writes it)."""
    header = bytearray(4)
    _read_exactly(fd, memoryview(header))
    (size,) = struct.unpack("!i", header)
    if size == -1:
        header = bytearray(8)
        _read_exactly(fd, memoryview(header))
        (size,) = struct.unpack("!Q", header)
    return size


def _read_exactly(fd: int, view: memoryview) -> None:
    """Fill `view` from `fd`. `Connection.recv_bytes_into` gathers a frame in a BytesIO, chunk by
    chunk, before it copies it into the buffer: for the megabytes of a request's tensors, twice the
    work of the read itself."""
    while view:
        count = os.readv(fd, [view])
        if count == 0:
            raise EOFError("the other end closed the channel")
        view = view[count:]


class _Watchdog:
    """One thread per process that calls each armed call's `on_stuck` once its deadline passes (at most
    TICK seconds late). While calls are armed it looks every TICK seconds, so that arming one, which
    happens at every message, need not wake it."""

    TICK = 0.1

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.armed: dict[int, tuple[float, Callable[[], None]]] = {}
        self.condition = threading.Condition()
        self.next = 0
        self.asleep = True  # nothing armed when it last looked: it waits to be woken
        threading.Thread(target=self._run, daemon=True, name="fastquiz-watchdog").start()

    def arm(self, deadline: float, on_stuck: Callable[[], None]) -> int:
        with self.condition:
            self.next += 1
            self.armed[self.next] = (deadline, on_stuck)
            if self.asleep:
                self.condition.notify()
            return self.next

    def disarm(self, token: int) -> None:
        with self.condition:
            self.armed.pop(token, None)

    def _run(self) -> None:
        while True:
            with self.condition:
                now = time.monotonic()
                due = [token for token, (deadline, _) in self.armed.items() if deadline <= now]
                calls = [self.armed.pop(token)[1] for token in due]
                if not calls:
                    soonest = min((deadline for deadline, _ in self.armed.values()), default=None)
                    self.asleep = soonest is None
                    self.condition.wait(None if soonest is None else min(self.TICK, soonest - now))
                    self.asleep = False
            for call in calls:
                call()


_watchdog: _Watchdog | None = None


class _watched:
    """Arm the process's watchdog for the block (nothing to do without a deadline)."""

    def __init__(self, deadline: float | None, on_stuck: Callable[[], None]):
        self.deadline, self.on_stuck = deadline, on_stuck
        self.token: int | None = None

    def __enter__(self) -> None:
        global _watchdog
        if self.deadline is not None:
            if _watchdog is None or _watchdog.pid != os.getpid():  # a forked child has no thread of its parent's
                _watchdog = _Watchdog()
            self.token = _watchdog.arm(self.deadline, self.on_stuck)

    def __exit__(self, kind, error, traceback) -> None:
        if self.token is not None and _watchdog is not None:
            _watchdog.disarm(self.token)
        if isinstance(error, (OSError, EOFError)) and self.deadline is not None and time.monotonic() >= self.deadline:
            raise TimeoutError from None  # the watchdog ended the block: the peer is gone
