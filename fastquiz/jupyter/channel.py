"""The messages between a notebook's kernel and its helper, each shape written down once.

One JSON object per line, over a Unix stream socket:

- helper -> kernel, once it has started: `{"ready": true}`, or `{"error": TEXT}` when it can't.
- kernel -> helper, one request at a time, each with a number of its own:
  `{"id": N, "op": "check", "workspace": PATH, "question": ID}` ->
  `{"id": N, "result": QuestionResult.as_dict(), "hints": [TEXT...], "plots": [{"title", "image"}...]}`
  (`image`: a PNG `data:` URI; plots only for questions that draw some, q21 and q34);
  `{"id": N, "op": "hints", "question": ID}` -> `{"id": N, "title": TEXT, "hints": [TEXT...]}`;
  `{"id": N, "op": "report", "workspace": PATH}` ->
  `{"id": N, "html": PAGE, "results": [QuestionResult.as_dict()...]}`.
- Any request may be answered `{"id": N, "error": ONE LINE}` (it could not be done), or
  `{"id": N, "interrupted": true}`: to interrupt, the kernel sends `{"cancel": N}`, then SIGINT.

The kernel closing its end ends the helper.
"""
from __future__ import annotations

import json
import socket


class Channel:
    """JSON lines over a stream socket."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self._buffer = b""

    def send(self, message: dict) -> None:
        """Send a message whole, waiting for room as long as it takes: a socket polled by `pending` (or
        read with a timeout) is non-blocking until told otherwise, and a large message (a report's page)
        does not fit in its buffer at once."""
        self.sock.settimeout(None)
        self.sock.sendall(json.dumps(message).encode() + b"\n")

    def receive(self, timeout: float | None = None) -> dict | None:
        """The next message; None once the other end has closed. TimeoutError after `timeout` seconds
        without a whole line (what has come so far is kept for the next call)."""
        self.sock.settimeout(timeout)
        while b"\n" not in self._buffer:
            data = self.sock.recv(1 << 20)
            if not data:
                return None
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def pending(self) -> list[dict]:
        """The messages that have come in whole, without waiting for more."""
        found = []
        try:
            while (message := self.receive(0)) is not None:
                found.append(message)
        except (TimeoutError, BlockingIOError):
            pass
        return found

    def close(self) -> None:
        self.sock.close()
