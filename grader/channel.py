"""How a task and its worker talk: frames of bytes, both ways, with deadlines.

Two transports, one interface (`send`, `wait`, `receive`, `close`):

- `PipeChannel`, where workers are forked (Linux): two pipes, whose worker ends the task hands
  to the origin. A send waits for room in the pipe only until its deadline (the descriptor is
  non-blocking), so a worker that stops reading can't hold the task.
- `ConnectionChannel`, where workers are spawned (macOS, Windows, FASTQUIZ_WORKERS=spawn): a
  multiprocessing Connection (a named pipe on Windows). Its sends and reads of a frame block, so
  a timer kills the worker at the deadline, which ends them.
"""
from __future__ import annotations

import os
import select
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Protocol

from . import wire


class Channel(Protocol):
    def send(self, frame: bytes, deadline: float | None = None) -> None:
        """Send a frame; TimeoutError when `deadline` (a time.monotonic() value) passes first."""

    def wait(self, timeout: float) -> bool:
        """Whether a frame (or the end of the channel) is there to be read within `timeout` seconds."""

    def receive(self, deadline: float | None = None) -> bytearray:
        """The next frame: EOFError at the end, TimeoutError past `deadline`, wire.TooLarge past the limit."""

    def close(self) -> None:
        ...


class PipeChannel:
    def __init__(self, read_fd: int, write_fd: int, nonblocking_writes: bool = True):
        self.read_fd, self.write_fd = read_fd, write_fd
        if nonblocking_writes:
            os.set_blocking(write_fd, False)

    def send(self, frame: bytes, deadline: float | None = None) -> None:
        wire.send_bytes(self.write_fd, frame, deadline)

    def wait(self, timeout: float) -> bool:
        return bool(select.select([self.read_fd], [], [], timeout)[0])

    def receive(self, deadline: float | None = None) -> bytearray:
        return wire.receive_bytes(self.read_fd, deadline)

    def close(self) -> None:
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass


class ConnectionChannel:
    def __init__(self, connection, on_stuck: Callable[[], None] = lambda: None):
        """`on_stuck`: what to do when a send or receive is still waiting at its deadline (kill the
        other side, which ends the wait)."""
        self.connection, self.on_stuck = connection, on_stuck

    def send(self, frame: bytes, deadline: float | None = None) -> None:
        with self._stuck_at(deadline):
            self.connection.send_bytes(frame)

    def wait(self, timeout: float) -> bool:
        return self.connection.poll(timeout)

    def receive(self, deadline: float | None = None) -> bytearray:
        """(A frame's length is read first, then its bytes: junk read as a length waits for bytes
        that never come, until the deadline.)"""
        if deadline is not None and not self.connection.poll(max(0.0, deadline - time.monotonic())):
            raise TimeoutError
        with self._stuck_at(deadline):
            try:
                return bytearray(self.connection.recv_bytes(wire.MAX_MESSAGE))
            except OSError as error:
                if "bad message length" in str(error):
                    raise wire.TooLarge(f"the answer returned more than {wire.MAX_MESSAGE >> 20} MB; "
                                        f"the limit is {wire.MAX_MESSAGE >> 20} MB") from None
                raise EOFError(str(error)) from None

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def _stuck_at(self, deadline: float | None) -> Iterator[None]:
        """Call `on_stuck` if the block is still running at `deadline`; what it then raises, because
        the other side has gone, is a TimeoutError."""
        if deadline is None:
            yield
            return
        timer = threading.Timer(max(0.0, deadline - time.monotonic()), self.on_stuck)
        timer.daemon = True
        timer.start()
        try:
            yield
        except (OSError, EOFError):
            if time.monotonic() >= deadline:
                raise TimeoutError from None
            raise
        finally:
            timer.cancel()
