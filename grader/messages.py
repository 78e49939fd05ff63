"""The messages between fastquiz's grading processes, each shape written down once.

See PROCESSES.md for who sends what to whom. Three channels carry JSON:

- controller -> task, one line each: `{"unit": N, "workspace": I, "folder": PATH, "modules": [...],
  "libraries": [...], "together": BOOL, "budget": SECONDS | null}` (see `task.Unit.order`);
  `null` means no more units. task -> controller: `{"unit": N, "result": QuestionResult.as_dict()}`,
  one line per question of the unit, in the unit's order;
- controller or task <-> origin, one datagram each on a Unix SEQPACKET socket, file
  descriptors riding along (SCM_RIGHTS): `{"client": true}` + a socket (the controller hands
  the origin a task's end); `{"start": {"libraries": [...]}}` + the worker's two pipe ends, or
  `{"trial": true}` + a trial worker's two pipe ends, each answered `{"started": PID}` or
  `{"failed": MESSAGE, "busy": BOOL}` (busy: the system refused a new process); and, whenever
  a child ends, `{"ended": PID, "status": WAIT_STATUS}` to the client that asked for it.

The fourth channel, task <-> worker, carries the worker's `WorkerSettings` (JSON, its first
frame), then pickled `worker.Request`s one way and `wire` messages (plain values only) back.
A trial worker reads its `Trial` from one pipe and writes its `Preflight` to the other.
"""
from __future__ import annotations

import array
import json
import os
import socket
from dataclasses import asdict, dataclass, field

MAX_DATAGRAM = 1 << 20
MAX_FDS = 4


@dataclass
class WorkerSettings:
    """What the origin needs to start a worker."""

    folder: str  # the worker's scratch folder: answers/ (its answer files), work/, shared/, output.txt
    answers: dict[str, dict[str, list[str]]]  # answer module -> {fastquiz module: names its stub imports}
    loadable: list[str]  # fastquiz modules it may load: the names given, and those whose objects checks send
    rules: list[tuple[str, int]]  # Landlock rules: the Python environment's and those modules' files
    libraries: list[str] = field(default_factory=list)  # slow imports to have done before forking it
    memory_mb: int = 2048
    cpu_seconds: int = 600  # a backstop for the whole worker; each question's CPU is watched by its task
    file_mb: int = 8

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "WorkerSettings":
        data = dict(data)
        data["rules"] = [(str(path), int(access)) for path, access in data["rules"]]
        return cls(**data)


@dataclass
class Trial:
    """What a trial worker is told: confine yourself with `settings`, then try to read `samples`
    (which a worker needs) and `protected` (which it must not read)."""

    settings: WorkerSettings
    samples: list[str]
    protected: list[str]

    def as_dict(self) -> dict:
        return {"settings": self.settings.as_dict(), "samples": self.samples, "protected": self.protected}

    @classmethod
    def from_dict(cls, data: dict) -> "Trial":
        return cls(WorkerSettings.from_dict(data["settings"]), list(data["samples"]), list(data["protected"]))


@dataclass
class Preflight:
    """What a worker could and could not do in the sandbox, found before grading starts."""

    isolation: dict  # `sandbox.Isolation.as_dict()`
    unreadable: list[str]  # parts of the environment the grader reads but a worker can't
    exposed: list[str]  # protected paths a worker can read

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Preflight":
        return cls(dict(data["isolation"]), list(data["unreadable"]), list(data["exposed"]))


def send(sock: socket.socket, message: dict, fds: tuple[int, ...] = ()) -> None:
    data = json.dumps(message).encode()
    if fds:
        sock.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
    else:
        sock.send(data)


def receive(sock: socket.socket) -> tuple[dict | None, list[int]]:
    """One message and the descriptors that came with it; (None, []) when the other side is gone
    (closed, or reset: it closed with messages of ours still unread)."""
    try:
        data, fds, _, _ = socket.recv_fds(sock, MAX_DATAGRAM, MAX_FDS)
    except ConnectionResetError:
        return None, []
    if not data:
        for fd in fds:
            os.close(fd)
        return None, []
    return json.loads(data), list(fds)
