"""What the grader's processes say to each other, written down once: statuses, limits, messages,
and the one exception of a grader that broke down.

See PROCESSES.md for who sends what to whom. Every message is a dataclass here, sent as one
JSON frame (`encode`, `decode`) on a multiprocessing Connection:

| from -> to | messages |
| --- | --- |
| runner -> first task | `RunConfig` (a run; answered `Ready`), `Fork` (a task more, on Linux; answered `Started`) |
| task -> controller | `Ready` (once, with the isolation in force), then `Reported` per question, `Fault` |
| controller -> task | `Order` per unit (closing the connection: no more) |
| task -> worker | `WorkerSettings` (its first frame), then pickled `worker.Request`s |
| worker -> task | `wire` messages: plain values only |
| task -> trial worker | `Trial`; back: `Preflight` |
| task <-> origin (Linux) | `StartWorker`, `StartTrial`, `NewClient` -> `Started`, `StartFailed`; `Ended`; `Prepare` |

Nothing a worker sends is unpickled, and nothing here carries code.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any


DATA_VARIABLE = "FASTQUIZ_MNIST"  # the full MNIST folder research task 2 is judged on (see `datasets.grading_data`)


class Status(str, Enum):
    """How a part (or a question, see `results.QuestionResult.status`) ended."""

    PASSED = "passed"
    FAILED = "failed"  # a check's assertion: the answer is wrong
    NOT_STARTED = "not_started"  # still the stub's placeholder
    ERROR = "error"  # the answer raised, does not load, or could not be graded
    TIMEOUT = "timeout"  # past its CPU time, its wall-clock backstop or the submission's budget
    MEMORY = "memory"  # past its memory limit

    def __str__(self) -> str:
        return self.value


# Results that nothing but the answer's own files decide: only these are handed to a byte-identical
# answer of another submission (a timeout, an error or a budget cut may come of the first one's run).
SHAREABLE = frozenset({Status.PASSED, Status.FAILED, Status.NOT_STARTED})


class GraderFault(Exception):
    """The grader itself broke down (its environment, a check, a process that would not start):
    never the student's fault. The one exception of its kind; the commands exit 4 on it."""


class WorkersUnavailable(GraderFault):
    """A worker (or the process they come from) could not be started, or stopped answering."""


class SystemBusy(WorkersUnavailable):
    """The system refused a new process just now (no process ids left): worth trying again."""


class IsolationUnavailable(Exception):
    """Full isolation was asked for (`Limits.strict`) where this machine can't give it."""


@dataclass(frozen=True)
class Limits:
    """What the workers of a grading run may use, and how they are set apart."""

    memory_mb: int = 2048       # address space on top of what a worker starts with
    cpu_seconds: int = 600      # CPU time of a whole worker (each question's own limit is its time_limit)
    file_mb: int = 8            # largest file it may write, its captured output included
    scratch_mb: int = 64        # all it may write into its work folder (files and folders alike, by their blocks)
    scratch_files: int = 4096   # how many files and folders it may make there
    isolate: bool = False       # grade mode: workers come from a process started with a clean environment
    hide: tuple[str, ...] = ()  # paths no worker may read (answer keys, hidden checks, submissions)
    budget: float | None = None  # seconds a whole submission may take (grade mode), None: no budget
    strict: bool = False        # refuse to grade unless the isolation is full
    time_limits: tuple[tuple[str, float], ...] = ()  # (question id, CPU seconds) where this run differs from the bank

    def time_limit(self, question: Any) -> float:
        """The CPU seconds a question's answer may use, all its parts together (a `question.Question`)."""
        return dict(self.time_limits).get(question.id, question.time_limit)

    @classmethod
    def from_dict(cls, data: dict) -> "Limits":
        return cls(**{**data, "hide": tuple(data["hide"]), "time_limits": tuple(map(tuple, data["time_limits"]))})


# -- messages ------------------------------------------------------------------------------------
@dataclass
class WorkerSettings:
    """What a worker is told as it starts (by its task, never through the process it comes from)."""

    folder: str  # the worker's scratch folder: answers/ (its answer files), work/, output.txt
    answers: dict[str, dict[str, list[str]]]  # answer module -> {fastquiz module: names its stub imports}
    loadable: list[str]  # fastquiz modules it may load: the names given, and those whose objects checks send
    rules: list[tuple[str, int]]  # Landlock rules: the Python environment's and those modules' files
    libraries: list[str] = field(default_factory=list)  # slow imports to have done before it runs answers
    memory_mb: int = 2048
    cpu_seconds: int = 600  # a backstop for the whole worker; each question's CPU is watched by its task
    file_mb: int = 8
    shared: str = ""  # a folder of files its checks make for answers to read ("": none), which it may only read

    @classmethod
    def from_dict(cls, data: dict) -> "WorkerSettings":
        return cls(**{**data, "rules": [(str(path), int(access)) for path, access in data["rules"]]})


@dataclass
class Trial:
    """What a trial worker is told: confine yourself with `settings`, then try to read `samples`
    (which a worker needs) and `protected` (which it must not read)."""

    settings: WorkerSettings
    samples: list[str]
    protected: list[str]

    @classmethod
    def from_dict(cls, data: dict) -> "Trial":
        return cls(WorkerSettings.from_dict(data["settings"]), list(data["samples"]), list(data["protected"]))


@dataclass
class Preflight:
    """What a trial worker could and could not do in the sandbox, found before grading starts."""

    isolation: dict  # `sandbox.Isolation.as_dict()`
    unreadable: list[str]  # parts of the environment the grader reads but a worker can't
    exposed: list[str]  # protected paths a worker can read


@dataclass
class RunConfig:
    """What the tasks of a run are told once: which questions, what is hidden, the limits."""

    modules: list[str]  # the questions' check modules, in order
    hidden: str | None  # a folder of an instructor's hidden checks
    limits: Limits
    scratch: str  # the run's private folder: workers' folders go here
    environment: list[tuple[str, int]]  # Landlock rules for the Python environment, without what must stay hidden
    record: bool = True  # draw each randomised part's examples in the first task, before it forks (see replay.py)
    jobs: int = 1
    data: str | None = None  # the full MNIST folder r2 is judged on (None: what `fastquiz check` would use)
    libraries: list[str] = field(default_factory=list)  # slow imports the run's answers use (`answers.libraries_for`)
    examples: str | None = None  # the folder that keeps the bank's randomised parts' examples between runs (replay.py)
    questions: dict[str, dict] = field(default_factory=dict)  # what the runner read of them (`catalog.describe`)

    @classmethod
    def from_dict(cls, data: dict) -> "RunConfig":
        return cls(**{**data, "limits": Limits.from_dict(data["limits"]),
                      "environment": [(str(p), int(a)) for p, a in data["environment"]]})


@dataclass
class Ready:
    isolation: dict  # `sandbox.Isolation.as_dict()`, as the trial worker found it
    unreadable: list[str]  # parts of the environment the grader reads but a worker can't
    exposed: list[str]  # protected paths a worker can read
    parts: dict[str, list[tuple[str, int, bool]]]  # question id -> its parts: (name, points, hidden), in order


@dataclass
class Fork:
    """Controller -> first task: fork another task, whose end of a new connection rides along."""


@dataclass
class Order:
    """Controller -> task: grade this unit (questions of one workspace, in one worker at a time)."""

    unit: int
    workspace: int
    folder: str
    modules: list[str]
    libraries: list[str]  # slow imports its answers need (see `answers.libraries_for`)
    budget: float | None = None  # seconds left to the submission (None: no budget)


@dataclass
class Reported:
    unit: int
    result: dict  # `results.QuestionResult.as_dict()`


@dataclass
class Fault:
    message: str


# Between a task and the fork server workers come from (see `workers.ForkOrigin`), descriptors riding along.
@dataclass
class NewClient:
    """Controller side of the origin -> origin: a socket for another task rides along."""


@dataclass
class Prepare:
    """First task -> origin: import these now (a run's answers will need them), while the task collects."""

    libraries: list[str]


@dataclass
class StartWorker:
    """Task -> origin: fork a worker on the connection end that rides along, once these are imported."""

    libraries: list[str]


@dataclass
class StartTrial:
    """Task -> origin: fork a trial worker on the two pipe ends that ride along (its instructions
    come down one of them: the origin never reads what must stay hidden)."""


@dataclass
class Started:
    pid: int


@dataclass
class StartFailed:
    message: str
    busy: bool = False  # the system refused a new process: worth trying again


@dataclass
class Ended:
    """Origin -> task, whenever a child it started for the task ends."""

    pid: int
    status: int  # its exit code (negative: the signal)


MESSAGES = {cls.__name__: cls for cls in (RunConfig, Ready, Fork, Order, Reported, Fault, WorkerSettings, Trial,
                                          Preflight,
                                          NewClient, Prepare, StartWorker, StartTrial, Started, StartFailed, Ended)}


def encode(message: Any) -> bytes:
    return json.dumps({"type": type(message).__name__, **_fields(message)}, default=_fields).encode()


def _fields(value: Any) -> dict:
    """A dataclass's fields, for JSON: what `dataclasses.asdict` gives, without its deep copies (a
    question's result is the bulk of a task's messages)."""
    if not is_dataclass(value) or isinstance(value, type):
        raise TypeError(f"{type(value).__name__} is not a grader message's field")
    return {f.name: getattr(value, f.name) for f in fields(value)}


def decode(frame: bytes) -> Any:
    """A message from its frame (ValueError for one that is not a message)."""
    data = json.loads(frame)
    cls = MESSAGES.get(data.pop("type", None))
    if cls is None:
        raise ValueError(f"not a grader message: {str(data)[:80]}")
    from_dict = getattr(cls, "from_dict", None)
    if from_dict is not None:
        return from_dict(data)
    return cls(**{f.name: data[f.name] for f in fields(cls)})
