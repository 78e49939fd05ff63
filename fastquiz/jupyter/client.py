"""The kernel's side of its helper process (`helper.py`): start it, ask it, stop it.

The helper is started once per kernel, as the extension loads, so that it has imported torch
and the checks by the time the first cell is run; one that died is started again on the
next request. An interrupt (the notebook's stop button) is passed on to the helper, which
drops the request in progress and stays warm; one that does not answer is stopped.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .channel import Channel

START_SECONDS = 300  # importing torch and every check, on a slow and busy machine
INTERRUPT_SECONDS = 10  # for the helper to drop a request
RESIGNAL_SECONDS = 1  # between the interrupts sent to it meanwhile
ENDING_SECONDS = 2  # for a helper whose socket closed to be seen to end


class HelperError(Exception):
    """The helper could not answer; the message is one line for the student."""


class Helper:
    """A helper process, started on first use and again after it died."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._channel: Channel | None = None
        self._folder: Path | None = None  # its working folder, with its log
        self._ready = False
        self._sent = 0  # the number of the last request

    def start(self) -> None:
        """Start the helper unless it is running (it loads in the background: this returns at once)."""
        if self._process is not None and self._process.poll() is None:
            return
        self.close()
        self._folder = Path(tempfile.mkdtemp(prefix="fastquiz-helper-"))
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        with open(self._folder / "helper.log", "wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "fastquiz.jupyter.helper", str(theirs.fileno())], pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=self._folder, start_new_session=True)
        theirs.close()
        self._channel, self._ready = Channel(mine), False

    def request(self, op: str, **fields) -> dict:
        """The helper's answer to one request (see `channel.py`); HelperError when it can't give one."""
        self.start()
        try:
            if not self._ready:
                hello = self._receive(START_SECONDS)
                if hello != {"ready": True}:
                    self.close()
                    raise HelperError(hello.get("error", f"fastquiz's checker did not start: {hello}"))
                self._ready = True
            self._sent += 1
            self._live().send({"id": self._sent, "op": op, **fields})
            reply = self._reply(None)
        except KeyboardInterrupt:
            self._interrupt()
            raise
        except (OSError, ValueError):  # a broken socket, a garbled line
            why = self._ended()  # it was given its time to end there
            self.close(grace=0)
            raise HelperError(why) from None
        if "error" in reply:
            raise HelperError(reply["error"])
        return reply

    def close(self, grace: float = ENDING_SECONDS) -> None:
        """Stop the helper, its worker origin and their workers: the helper ends by itself as its socket
        closes, removing its grading folder (it is given `grace` seconds: none where it is known to be
        stuck or gone), then what is left of them is killed."""
        if self._channel is not None:
            self._channel.close()
        if self._process is not None:
            try:
                self._process.wait(grace)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(self._process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._process.wait()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._process = self._channel = self._folder = None

    def _reply(self, timeout: float | None) -> dict:
        while True:
            reply = self._receive(timeout)
            if reply.get("id") == self._sent:
                return reply

    def _live(self) -> Channel:
        """The channel to the running helper (`start` made it)."""
        assert self._channel is not None, "the helper is not started"
        return self._channel

    def _receive(self, timeout: float | None) -> dict:
        try:
            message = self._live().receive(timeout)
        except TimeoutError:
            message = None
        if message is None:
            why = self._ended()  # it was given its time to end there
            self.close(grace=0)
            raise HelperError(why)
        return message

    def _interrupt(self) -> None:
        """Ask the helper to drop the request in progress; stop it if it does not. The signal is
        sent again each second: one that lands where Python can't raise it (in a finalizer, say)
        is lost."""
        if self._ready and self._process is not None and self._process.poll() is None:
            try:
                self._live().send({"cancel": self._sent})  # first: it is there when the signal lands
                ends = time.monotonic() + INTERRUPT_SECONDS
                while time.monotonic() < ends:
                    os.kill(self._process.pid, signal.SIGINT)
                    if self._replied(min(RESIGNAL_SECONDS, ends - time.monotonic())):
                        return
            except (OSError, ValueError, KeyboardInterrupt):
                pass
        self.close(grace=0)  # it did not drop the request: it is stuck

    def _replied(self, timeout: float) -> bool:
        """Whether the reply to the last request came within `timeout` seconds (OSError if the helper ended)."""
        ends = time.monotonic() + timeout
        while True:
            try:
                message = self._live().receive(max(0.0, ends - time.monotonic()))
            except TimeoutError:
                return False
            if message is None:
                raise OSError("the helper ended")
            if message.get("id") == self._sent:
                return True

    def _ended(self) -> str:
        """Why the helper is not answering, in one line, with the last line it wrote."""
        code = None
        if self._process is not None:
            try:
                code = self._process.wait(ENDING_SECONDS)  # its end of the socket closes as it ends
            except subprocess.TimeoutExpired:
                pass
        try:
            lines = (self._folder / "helper.log").read_text(errors="replace").strip().splitlines() \
                if self._folder is not None else []
        except OSError:
            lines = []
        said = f"; it said: {lines[-1]}" if lines else ""
        state = "is not answering" if code is None else f"ended (exit code {code})"
        return f"fastquiz's checker {state}{said}: run the cell again, or restart the kernel"
