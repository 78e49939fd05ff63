"""The kernel's and the helper's channel (`fastquiz/jupyter/channel.py`): JSON lines over a socket pair."""
from __future__ import annotations

import socket
import threading

from fastquiz.jupyter.channel import Channel

PAGE = "x" * (8 << 20)  # a report's page is megabytes: far more than a socket's buffer holds


def pair() -> tuple[Channel, Channel]:
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    return Channel(mine), Channel(theirs)


def receive_in_thread(channel: Channel) -> tuple[threading.Thread, list]:
    got: list = []
    thread = threading.Thread(target=lambda: got.append(channel.receive(30)), daemon=True)
    thread.start()
    return thread, got


def test_a_large_message_is_sent_whole_after_the_channel_was_polled_with_a_zero_timeout():
    helper, kernel = pair()
    kernel.send({"id": 1, "op": "report"})
    assert helper.receive() == {"id": 1, "op": "report"} and helper.pending() == []  # pending() polls: timeout 0
    thread, got = receive_in_thread(kernel)
    helper.send({"id": 1, "html": PAGE})  # was: BlockingIOError, [Errno 11] Resource temporarily unavailable
    thread.join(30)
    assert got == [{"id": 1, "html": PAGE}]


def test_a_large_message_is_sent_whole_after_a_receive_that_timed_out():
    helper, kernel = pair()
    try:
        helper.receive(0.01)
    except TimeoutError:
        pass
    thread, got = receive_in_thread(kernel)
    helper.send({"id": 2, "html": PAGE})
    thread.join(30)
    assert got == [{"id": 2, "html": PAGE}]


def test_pending_returns_every_whole_message_and_keeps_a_partial_one():
    helper, kernel = pair()
    kernel.send({"cancel": 1})
    kernel.send({"cancel": 2})
    kernel.sock.sendall(b'{"id": 3')
    assert helper.pending() == [{"cancel": 1}, {"cancel": 2}]
    kernel.sock.sendall(b', "op": "hints"}\n')
    assert helper.receive() == {"id": 3, "op": "hints"}
