"""The worker's reply format: plain values in, fresh plain values out, malformed frames refused,
over the one transport (a multiprocessing Connection, with deadlines)."""
from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import struct
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import torch

from fastquiz.grader import wire
from fastquiz.grader.channel import Channel


def connection_channels():
    mine, theirs = multiprocessing.Pipe()
    return Channel(mine), Channel(theirs)


@pytest.fixture
def channels():
    ends = connection_channels()
    yield ends
    for end in ends:
        end.close()


def round_trip(value, keep=lambda obj: 7, channels=None):
    encoder = wire.Encoder(keep)
    payload = encoder.encode(value)
    near, far = channels or connection_channels()
    try:
        far.send(wire.message(payload, encoder.buffers))
        payload, buffers = wire.parse(near.receive())
    finally:
        if channels is None:
            near.close()
            far.close()
    return wire.decode(payload, buffers)


def raw_message(header: dict, body: bytes = b"") -> bytes:
    encoded = json.dumps(header).encode()
    frame = struct.pack(">I", len(encoded)) + encoded + body
    return struct.pack(">I", len(frame)) + frame


def read_raw(frame: bytes):
    near, far = connection_channels()
    try:
        os.write(far.connection.fileno(), frame)
        return wire.parse(near.receive())
    finally:
        near.close()
        far.close()


def test_plain_values_keep_their_kind_and_value(channels):
    value = {"n": 2**70, "x": float("nan"), "s": "é", "b": b"\0\1", "t": (1, [2.5, None]), "set": {3}, "ok": True}
    got = round_trip(value, channels=channels)
    assert got.keys() == value.keys() and got["n"] == 2**70 and got["t"] == (1, [2.5, None])
    assert got["b"] == b"\0\1" and got["set"] == {3} and got["ok"] is True and got["x"] != got["x"]


def test_tensors_and_arrays_travel_as_raw_buffers_with_dtype_and_shape(channels):
    tensor, array = torch.arange(12, dtype=torch.float64).reshape(3, 4).t(), np.eye(3, dtype=np.int16)
    got_tensor, got_array = round_trip([tensor, array], channels=channels)
    assert type(got_tensor) is torch.Tensor and torch.equal(got_tensor, tensor)
    assert got_array.dtype == np.int16 and np.array_equal(got_array, array)


def test_a_lying_subclass_arrives_as_the_plain_type():
    class Yes(int):
        def __eq__(self, other):
            return True

    class Sneaky(torch.Tensor):
        pass

    number, tensor = round_trip([Yes(3), torch.ones(2).as_subclass(Sneaky)])
    assert type(number) is int and number == 3 and number != 4
    assert type(tensor) is torch.Tensor


def test_anything_else_stays_behind_as_a_handle():
    assert round_trip(object(), keep=lambda obj: 42) == wire.Handle(42, "object")


def test_a_handle_names_the_classes_its_type_derives_from_as_type_reads_them():
    class Lying(type):
        __mro__ = property(lambda cls: (int, object))  # what a metaclass may pretend

    class Model(torch.nn.Linear, metaclass=type):
        pass

    class Odd(metaclass=Lying):
        pass

    assert round_trip(Model(1, 1), keep=lambda obj: 1).bases == (
        f"{__name__}.{Model.__qualname__}", "torch.nn.modules.linear.Linear", "torch.nn.modules.module.Module")
    assert round_trip(Odd(), keep=lambda obj: 1).bases == (f"{__name__}.{Odd.__qualname__}",)
    assert round_trip(Model, keep=lambda obj: 1).bases == ("builtins.type",)
    with pytest.raises(ValueError, match="bases"):
        wire.decode({"handle": 1, "type": "Model", "bases": [1]}, [])


@pytest.mark.parametrize("frame", [
    raw_message({"payload": None, "sizes": [100]}, b"x" * 8),  # buffers longer than the frame
    raw_message({"payload": None, "sizes": [4]}, b"x" * 8),  # bytes left over
    raw_message({"payload": None, "sizes": [-1]}),
    raw_message({"payload": None}),
    struct.pack(">I", 2) + b"\0\0",  # too short for a header
], ids=["overlong", "leftover", "negative", "no sizes", "no header"])
def test_a_frame_whose_parts_dont_add_up_is_refused(frame):
    with pytest.raises(ValueError):
        read_raw(frame)


def test_a_reference_to_a_missing_buffer_is_refused():
    payload, buffers = read_raw(raw_message({"payload": {"bytes": 3}, "sizes": [1]}, b"x"))
    with pytest.raises(ValueError):
        wire.decode(payload, buffers)


def test_an_array_of_objects_is_not_sent():
    with pytest.raises(TypeError):
        wire.Encoder(lambda obj: 0).encode(np.array([object()]))


def end_when_stuck(near, far) -> threading.Event:
    """A channel stuck at its deadline kills the worker, whose end goes: here the far end is closed
    instead. Set once it is (wait for it before closing the ends)."""
    ended = threading.Event()

    def end() -> None:
        far.close()
        ended.set()

    near.on_stuck = end
    return ended


def test_a_send_nobody_reads_gives_up_at_its_deadline(channels):
    near, far = channels
    ended = end_when_stuck(near, far)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        near.send(b"x" * (16 << 20), started + 0.3)
    assert time.monotonic() - started < 5
    assert ended.wait(5)


def test_a_reply_that_never_comes_times_out_at_the_deadline(channels):
    near, _ = channels
    with pytest.raises(TimeoutError):
        near.receive(time.monotonic() + 0.2)


def test_a_frame_cut_short_times_out_at_the_deadline(channels):
    """Junk on the reply pipe (an answer writing to every descriptor it holds) reads as the length
    of a frame whose bytes never come."""
    near, far = channels
    os.write(_write_fd(far), struct.pack(">I", 1 << 20) + b"only the start")
    ended = end_when_stuck(near, far)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        near.receive(started + 0.3)
    assert time.monotonic() - started < 5
    assert ended.wait(5)


def _write_fd(channel) -> int:
    return channel.connection.fileno()


def test_a_frame_over_the_limit_is_refused_unread(monkeypatch, channels):
    near, far = channels
    monkeypatch.setattr(wire, "MAX_MESSAGE", 1 << 16)

    def send() -> None:  # the frame fills the pipe long before it is all sent: nobody reads it
        with contextlib.suppress(OSError):
            far.send(b"x" * (1 << 17), time.monotonic() + 3)

    sender = threading.Thread(target=send)
    sender.start()
    with pytest.raises(wire.TooLarge):
        near.receive(time.monotonic() + 5)
    sender.join()


def test_a_wait_says_whether_a_frame_or_the_end_is_there(channels):
    near, far = channels
    assert not near.wait(0)
    far.send(b"frame")
    assert near.wait(1) and near.receive() == b"frame"
    assert not near.wait(0.05)
    far.close()
    assert near.wait(1)
    with pytest.raises(EOFError):
        near.receive()


def _request_round_trip(obj, stand_in=lambda o: None, objects=None):
    """`obj` pickled as a task pickles a request, sent down a channel and unpickled as a worker does."""
    import types

    from fastquiz.grader import worker
    from fastquiz.grader.student import pickle_request

    near, far = (Channel(end) for end in multiprocessing.Pipe())
    frame, arrays = pickle_request(obj, stand_in, set())
    sending = threading.Thread(target=near.send, args=(frame, None, arrays))  # a pipe holds only so much
    sending.start()
    server = types.SimpleNamespace(objects=objects or {})
    got = worker._Unpickler(*worker.read_request(far.receive(), far.receive_into), server).load()
    sending.join()
    return got


def test_a_request_sends_its_tensors_bytes_after_its_frame_not_in_it():
    from fastquiz.grader.student import pickle_request

    tensors = [torch.randn(256, 1024), torch.arange(10_000), np.ones((300, 200))]
    frame, arrays = pickle_request(("call", tensors), lambda o: None, set())
    assert len(frame) < 2_000 and [len(a) for a in arrays] == [t.nbytes for t in tensors]
    got = _request_round_trip(("call", tensors))[1]
    assert torch.equal(got[0], tensors[0]) and torch.equal(got[1], tensors[1]) and np.array_equal(got[2], tensors[2])
    assert got[2].flags.writeable


def test_a_view_sends_only_the_bytes_it_spans():
    """Rows of a larger tensor (as a check's slice of the digits) go as their own bytes, not with the
    whole storage they are a view of, and arrive as a tensor of their own."""
    from fastquiz.grader.student import pickle_request

    base = torch.randn(1000, 784)
    rows, flat = base[200:300], base[:10].view(-1)
    frame, arrays = pickle_request(("call", [rows, flat]), lambda o: None, set())
    assert len(frame) < 2_000 and [len(a) for a in arrays] == [rows.nbytes, flat.nbytes]
    got = _request_round_trip(("call", [rows, flat]))[1]
    assert torch.equal(got[0], rows) and torch.equal(got[1], flat)
    got[0].zero_()
    assert torch.equal(base[200:300], rows) and rows.abs().sum() > 0, "the sender's tensor is left alone"


@pytest.mark.parametrize("tensor", [torch.randn(3, 4), torch.tensor(2.5), torch.zeros(0, 3), torch.tensor([True, False]),
                                    torch.randn(5).half(), torch.arange(6).reshape(2, 3), torch.randn(2, 2, requires_grad=True),
                                    torch.randn(4, 4)[:, 1], torch.randn(4, 4).t(), torch.randn(6, 4)[2:4],
                                    torch.arange(12.0).view(3, 4).expand(2, 3, 4)])
def test_a_request_carries_a_tensor_whole_and_writable(tensor):
    got = _request_round_trip((tensor, tensor))
    assert got[0] is got[1], "one tensor, sent twice, arrives as one"
    assert type(got[0]) is torch.Tensor and got[0].dtype == tensor.dtype and got[0].shape == tensor.shape
    assert torch.equal(got[0].detach(), tensor.detach()) and got[0].requires_grad == tensor.requires_grad
    assert got[0].detach().numpy().flags.writeable  # memory of its own, which the answer may change in place
    before = tensor.detach().clone()
    got[0].detach().zero_()
    assert torch.equal(tensor.detach(), before)


def test_a_request_names_the_workers_own_objects_and_nothing_else_resolves_them():
    import pickle

    class Theirs:
        pass

    kept = object()
    got = _request_round_trip(("call", [Theirs]), stand_in=lambda o: ("handle", 7) if o is Theirs else None,
                              objects={7: kept})
    assert got == ("call", [kept]) and got[1][0] is kept
    from fastquiz.grader.worker import stand_in

    with pytest.raises(pickle.UnpicklingError, match="stand-in outside a worker"):
        stand_in("handle", 7)


@pytest.mark.parametrize("sent", [b"x" * 10, b"x" * 14])
def test_a_frame_of_another_size_than_announced_is_refused(sent):
    near, far = (Channel(end) for end in multiprocessing.Pipe())
    near.send(sent)
    near.send(b"next")
    with pytest.raises(ValueError, match="announced"):
        far.receive_into(12)
    assert far.receive() == b"next", "the refused frame is read past: the next one is read whole"


def test_a_frame_is_read_straight_into_its_buffer_whatever_its_header():
    """receive_into reads a Connection's frames itself (its header, then the bytes into the buffer):
    a large frame arrives whole, and so does one sent with the long header that Connection.send_bytes
    gives a frame of 2 GiB or more."""
    import os
    import struct

    near, far = (Channel(end) for end in multiprocessing.Pipe())
    large = np.random.default_rng(0).bytes(20 << 20)
    sending = threading.Thread(target=near.send, args=(b"frame", None, [memoryview(large)]))  # more than a pipe holds
    sending.start()
    assert far.receive() == b"frame" and far.receive_into(len(large)) == large
    sending.join()
    os.write(near.connection.fileno(), struct.pack("!i", -1) + struct.pack("!Q", 5) + b"hello")
    assert far.receive_into(5) == b"hello"
    near.close()
    with pytest.raises(EOFError):
        far.receive_into(5)


def test_a_requests_buffers_caught_in_a_reference_cycle_are_collected_safely():
    """An exception's traceback can hold a request's buffers in a reference cycle; the collector then
    frees them in any order, which crashed CPython where a buffer's memory was another memoryview's.
    Run in a process of its own: a crash must fail this test, not end the session."""
    code = (
        "import gc, subprocess, numpy as np, torch\n"
        "from fastquiz.grader.student import pickle_request\n"
        "for size in range(100):\n"
        "    sent = [torch.randn(1000 + size), torch.arange(50_000), np.asfortranarray(np.ones((30, 40))), torch.zeros(0)]\n"
        "    frame, arrays = pickle_request(('call', sent), lambda o: None, set())\n"
        "    cycle = [arrays, frame]\n"
        "    cycle.append(cycle)\n"
        "    del arrays, cycle, frame, sent\n"
        "    gc.collect()\n"
        "print('collected')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "collected"), done.stderr[-2000:]
