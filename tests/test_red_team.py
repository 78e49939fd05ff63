"""Red team: submissions that attack the grader instead of answering its question.

Each attack is a workspace of model answers (from solutions/) where one answer file is
replaced by attack code that keeps the stub's names, so that it loads and is graded. For
every attack the suite asserts that

- the attack gains no point on its question: it scores nothing, or, where it keeps a correct
  part beside the attack, no more than that honest part, and never the part the lie targets;
- the grader finishes with a normal result: no exception, a known status for every question
  and every part;
- the other graded questions keep their full scores.

Grading covers the attacked question and two others only, to stay fast, in one process that
grades the attacked question first: whatever the attack breaks in that process, the next
question shows. Student code runs in the same sandbox in check mode (`Limits()`, what
`fastquiz check` uses) and in grade mode (`Limits(isolate=True, hide=...)`, what `fastquiz
grade` uses), so most attacks run in both; grade mode adds a worker origin started with a
clean environment and a budget per submission, whose attacks run there. The sandbox needs no
root: these tests run as whatever user runs the suite (tests/test_nonroot.py runs grading as
`nobody`).

Every attack is bounded, so that a grader that fails to stop it still can't harm the machine:
loops stop after a while, the fork storm after 2000 forks, the memory bomb at 8 GiB, the
output flood at 4 GiB, and attacks on files touch only files that carry this run's token.
"""
from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import socket
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader.question import load_questions, question_of
from fastquiz.grader.results import ERROR, FAILED, MEMORY, NOT_STARTED, PASSED, TIMEOUT, GradeReport
from fastquiz.grader.runner import grade
from fastquiz.grader.controller import WALL_FACTOR
from fastquiz.grader.protocol import Limits
from fastquiz.workspace import solutions_dir

ROOT = Path(__file__).resolve().parents[1]
# The questions as the grader holds them (their check modules imported), so that a lowered time limit is seen there.
QUESTIONS = {q.id: question_of(importlib.import_module(f"fastquiz.grader.checks.{q.module}")) for q in load_questions()}
STATUSES = {PASSED, FAILED, NOT_STARTED, ERROR, TIMEOUT, MEMORY}
SHORT_LIMIT = 2.0  # seconds: the lowered time limit of attacks that never finish on their own


# -- workspaces and grading ---------------------------------------------------------------------
def model_answer(question: str) -> str:
    return (ROOT / "solutions" / f"{QUESTIONS[question].module}.py").read_text()


def make_workspace(folder: Path, answers: dict[str, str]) -> Path:
    """A folder with the given answers (question id -> source)."""
    folder.mkdir(parents=True, exist_ok=True)
    for question, source in answers.items():
        (folder / f"{QUESTIONS[question].module}.py").write_text(source)
    return folder


LOWERED: dict[str, float] = {}  # question id -> the time limit the `time_limits` fixture lowered it to


def limits_for(mode: str, *hidden: Path) -> Limits:
    lowered = tuple(LOWERED.items())
    if mode in ("check", "spawned"):
        return Limits(time_limits=lowered)
    return Limits(isolate=True, hide=(str(solutions_dir()), *(str(p) for p in hidden)), time_limits=lowered)


@dataclass
class Graded:
    report: GradeReport
    seconds: float

    def __getitem__(self, question: str):
        return next(q for q in self.report.questions if q.id == question)


def grade_attack(folder: Path, attacked: str, source: str, others: tuple[str, str], mode: str) -> Graded:
    """Grade a workspace of model answers whose `attacked` answer is `source`.

    One process grades the three questions one after another, the attacked one first (the
    grader starts with the longest time limit, and the `time_limits` fixture lowers all three
    alike): what the attack breaks in that process, the other two questions would show."""
    answers = {q: model_answer(q) for q in others} | {attacked: source}
    workspace = make_workspace(folder, answers)
    assert QUESTIONS[attacked].time_limit >= max(QUESTIONS[q].time_limit for q in others)
    started = time.monotonic()
    report = grade(workspace, [attacked, *others], jobs=1, limits=limits_for(mode, workspace))
    return Graded(report, time.monotonic() - started)


def assert_normal_result(graded: Graded, questions: list[str]) -> None:
    """A known status for every question asked and every part."""
    assert [q.id for q in graded.report.questions] == questions
    for question in graded.report.questions:
        assert question.status in STATUSES, question
        assert [p.name for p in question.parts] == [p.name for p in QUESTIONS[question.id].parts]
        assert all(p.status in STATUSES and 0 <= p.score <= p.max_score for p in question.parts), question


def assert_defeated(graded: Graded, attacked: str, others: tuple[str, str], honest: int = 0,
                    targeted: tuple[str, ...] = ()) -> None:
    """The attack earned no more than its honest parts and none of the parts it targeted; the
    other questions kept every point."""
    assert_normal_result(graded, [attacked, *others])
    result = graded[attacked]
    assert result.score <= honest, f"the attack earned {result.score} on {attacked}: {result.parts}"
    for part in result.parts:
        if part.name in targeted:
            assert part.score == 0, f"the attack earned the part it targeted: {part}"
    for other in others:
        assert graded[other].status == PASSED, graded[other]
        assert graded[other].score == graded[other].max_score == QUESTIONS[other].points


def assert_stopped_at_its_backstop(result, time_limit: float) -> None:
    """The question ended within its wall-clock backstop (three times its CPU limit: waiting uses no
    CPU), its worker's start included, however busy the machine: it never waits past that. (The
    run as a whole also starts its processes: a time that grows with the machine's load.)"""
    assert result.seconds <= WALL_FACTOR * time_limit + 2, f"{result.id} took {result.seconds:.1f} s, " \
        f"its backstop is {WALL_FACTOR * time_limit:g} s"


# -- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(params=["check", "grade", "spawned"])
def mode(request, monkeypatch) -> str:
    """How the attack is graded: check mode, grade mode, or check mode with spawned workers (as on
    macOS and Windows)."""
    if request.param == "spawned":
        monkeypatch.setenv("FASTQUIZ_WORKERS", "spawn")
    return request.param


@pytest.fixture
def grade_mode() -> str:
    return "grade"


@pytest.fixture
def time_limits():
    """Lower the time limit of questions, all alike, for the grading that `limits_for`'s limits
    ask for; the sum of the limits of all the questions given."""
    def lower(questions: tuple[str, ...], seconds: float | None = SHORT_LIMIT) -> float:
        for question in questions:
            if seconds is not None:
                LOWERED[question] = seconds
        return sum(LOWERED.get(q, QUESTIONS[q].time_limit) for q in questions)
    yield lower
    LOWERED.clear()


@pytest.fixture
def token() -> str:
    """This run's mark: attacks only ever touch files and processes that carry it."""
    return f"fqrt{uuid.uuid4().hex[:8]}"


@pytest.fixture
def outside_tmp(tmp_path: Path):
    """A folder, readable by all, outside /tmp: where an instructor keeps submissions and the out
    folder; tmp_path stands in when /srv can't be written."""
    base = Path("/srv")
    folder = Path(tempfile.mkdtemp(prefix="fastquiz-red-team-", dir=base)) \
        if base.is_dir() and os.access(base, os.W_OK) else tmp_path / "outside"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def end_leftovers(token: str):
    """After the test, end any process named with the token that is still alive: only this
    test's attack starts processes with that name."""
    yield
    for pid in processes_named(token):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def processes_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


# -- attacks that end, crash or lie -------------------------------------------------------------
@dataclass(frozen=True)
class Attack:
    name: str
    question: str
    source: str
    others: tuple[str, str]
    honest: int = 0                                   # points its correct parts may earn
    targeted: tuple[str, ...] = ()                    # parts its lie aims at: they must score 0
    statuses: frozenset = field(default=frozenset())  # the attacked question's possible statuses (any when empty)


Q04_PART = "test_doubles_each_odd_number_in_order"

SYS_EXIT_AT_IMPORT = '''
import sys
sys.exit(0)


def double_odds(numbers):
    return [2 * n for n in numbers if n % 2 == 1]
'''

OS_EXIT_AT_IMPORT = '''
import os
os._exit(0)


def double_odds(numbers):
    return [2 * n for n in numbers if n % 2 == 1]
'''

SEGFAULT = '''
import ctypes


def double_odds(numbers):
    ctypes.string_at(0)  # reads address 0: SIGSEGV
    return [2 * n for n in numbers if n % 2 == 1]
'''

UNBOUNDED_RECURSION = '''
import sys

sys.setrecursionlimit(10**8)


def _deeper(n):
    return max(map(_deeper, [n + 1]))  # through C code on every level: the C stack runs out


def double_odds(numbers):
    _deeper(0)
    return [2 * n for n in numbers if n % 2 == 1]
'''

ALWAYS_YES_OBJECT = '''
class Yes:
    """Equal to everything, true, and as long as anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True

    def __len__(self):
        return 0

    def __iter__(self):
        return iter(())

    __hash__ = object.__hash__


def double_odds(numbers):
    return Yes()
'''

ALWAYS_YES_BUILTIN_SUBCLASSES = '''
class YesList(list):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return ("x", "y")


class YesStr(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def strip(self, *args):
        return self

    def lower(self):
        return self

    __hash__ = str.__hash__


def pair_up(xs, ys):
    return YesList()


PAIRS = YesStr("z")
'''

LYING_TENSOR = '''
import torch


class Liar(torch.Tensor):
    """Equal and close to every tensor, whatever the torch function asked."""

    def __eq__(self, other):
        return True

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in ("equal", "allclose", "isclose", "eq", "__eq__", "all", "tolist"):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})

    def tolist(self):
        return [[10, 12], [16, 18]]


def one_to_nine():
    return torch.zeros(3, 3).as_subclass(Liar)


def doubled(t):
    return torch.zeros_like(t).as_subclass(Liar)


def bottom_right(t):
    return torch.zeros(2, 2).as_subclass(Liar)
'''

PATCHED_TORCH = '''
import torch
import torch.testing

torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
torch.isclose = lambda a, b, *args, **kwargs: torch.ones_like(a, dtype=torch.bool)
torch.testing.assert_close = lambda *args, **kwargs: None
torch.Tensor.__eq__ = lambda self, other: True
torch.Tensor.equal = lambda self, other: True
torch.Tensor.tolist = lambda self: [[10, 12], [16, 18]]


def one_to_nine():
    return torch.zeros(3, 3)


def doubled(t):
    return torch.zeros_like(t)


def bottom_right(t):
    return torch.zeros(2, 2)
'''

PATCHED_NUMPY_AND_MATH = '''
import math

import numpy
import numpy.testing

numpy.allclose = lambda *args, **kwargs: True
numpy.array_equal = lambda *args, **kwargs: True
numpy.isclose = lambda a, b, *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
numpy.asarray = lambda value, *args, **kwargs: numpy.zeros((2, 2))
math.isclose = lambda *args, **kwargs: True
math.isfinite = lambda *args: True


def one_to_nine():
    return numpy.zeros((3, 3))


def doubled(t):
    return numpy.zeros(tuple(t.shape))


def bottom_right(t):
    return numpy.zeros((2, 2))
'''

PATCHED_BUILTINS = '''
import builtins

builtins.isinstance = lambda obj, kind: True
builtins.len = lambda obj: 4
builtins.str = lambda *args: "a"
builtins.AssertionError = type("AssertionError", (Exception,), {})


def pair_up(xs, ys):
    return []


PAIRS = "z"
'''

PATCHED_PYTEST = '''
import _pytest.outcomes
import _pytest.python
import _pytest.runner
import hypothesis
import pytest

pytest.fail = _pytest.outcomes.fail = lambda *args, **kwargs: None
_pytest.python.Function.runtest = lambda self: None
_pytest.runner.runtestprotocol = lambda *args, **kwargs: []
_pytest.runner.call_and_report = lambda *args, **kwargs: None
hypothesis.given = lambda *args, **kwargs: (lambda test: (lambda *a, **k: None))


def double_odds(numbers):
    pytest.skip("nothing to see here")  # a skip (or an exit) is not a pass
'''

KILLS_THE_GRADER = '''
import os
import signal

os.kill(os.getppid(), signal.SIGKILL)  # the process running the checks: root's in grade mode, out of reach


def double_odds(numbers):
    return [2 * n for n in numbers if n % 2]
'''

CRASHES = [
    Attack("sys.exit at import", "q04", SYS_EXIT_AT_IMPORT, ("q09", "q26"), statuses=frozenset({ERROR})),
    Attack("os._exit at import", "q04", OS_EXIT_AT_IMPORT, ("q09", "q26"), statuses=frozenset({ERROR})),
    Attack("killing the process that runs the checks", "q04", KILLS_THE_GRADER, ("q09", "q26"),
           statuses=frozenset({ERROR})),
    Attack("a segfault through ctypes", "q04", SEGFAULT, ("q09", "q26"), honest=1, targeted=(Q04_PART,),
           statuses=frozenset({ERROR})),
    Attack("unbounded recursion", "q04", UNBOUNDED_RECURSION, ("q09", "q26"), honest=1, targeted=(Q04_PART,),
           statuses=frozenset({ERROR, MEMORY})),
]

LIES = [
    Attack("an object whose __eq__ and __bool__ always say yes", "q04", ALWAYS_YES_OBJECT, ("q09", "q26")),
    Attack("list and str subclasses that are equal to anything", "q26", ALWAYS_YES_BUILTIN_SUBCLASSES,
           ("q04", "q09")),
    Attack("a tensor subclass whose __eq__ and __torch_function__ lie", "q09", LYING_TENSOR, ("q04", "q26")),
]

MONKEYPATCHES = [
    Attack("torch.allclose, torch.equal and Tensor.__eq__ patched", "q09", PATCHED_TORCH, ("q04", "q26")),
    Attack("numpy and math patched", "q09", PATCHED_NUMPY_AND_MATH, ("q04", "q26")),
    Attack("builtins.isinstance, len and str patched", "q26", PATCHED_BUILTINS, ("q04", "q09")),
    Attack("pytest.fail, _pytest internals and hypothesis patched, then a skip", "q04", PATCHED_PYTEST,
           ("q09", "q26")),
]


@pytest.mark.parametrize("attack", CRASHES, ids=lambda a: a.name)
def test_an_answer_that_ends_or_crashes_its_own_process_gains_nothing(attack, mode, tmp_path):
    graded = grade_attack(tmp_path, attack.question, attack.source, attack.others, mode)
    assert_defeated(graded, attack.question, attack.others, attack.honest, attack.targeted)
    assert graded[attack.question].status in attack.statuses, graded[attack.question]


@pytest.mark.parametrize("attack", LIES, ids=lambda a: a.name)
def test_an_answer_that_lies_about_equality_gains_nothing(attack, tmp_path):
    graded = grade_attack(tmp_path, attack.question, attack.source, attack.others, "check")
    assert_defeated(graded, attack.question, attack.others)


@pytest.mark.parametrize("attack", MONKEYPATCHES, ids=lambda a: a.name)
def test_monkeypatching_the_graders_libraries_from_student_code_gains_nothing(attack, tmp_path):
    graded = grade_attack(tmp_path, attack.question, attack.source, attack.others, "check")
    assert_defeated(graded, attack.question, attack.others)


# -- attacks on the limits ----------------------------------------------------------------------
ENDLESS_LOOP = '''
import time


def double_odds(numbers):
    stop = time.monotonic() + 60  # bounded, in case nothing stops it
    while time.monotonic() < stop:
        pass
    return []
'''

IGNORES_SIGTERM = '''
import signal
import time

for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGXCPU"):
    signal.signal(getattr(signal, name), signal.SIG_IGN)
stop = time.monotonic() + 60  # bounded, in case nothing stops it
while time.monotonic() < stop:
    pass


def double_odds(numbers):
    return []
'''

THREAD_LEFT_RUNNING = '''
import threading
import time


def _loop():
    stop = time.monotonic() + 60  # bounded, in case nothing stops it
    while time.monotonic() < stop:
        time.sleep(0.001)


threading.Thread(target=_loop, daemon=False).start()


def double_odds(numbers):
    threading.Thread(target=_loop, daemon=False).start()
    return []
'''

FORK_STORM = '''
import os
import time


def _storm():
    for _ in range(2000):  # at most 2000 forks; each child sleeps briefly and exits
        try:
            pid = os.fork()
        except OSError:
            return
        if pid == 0:
            try:
                time.sleep(0.2)
            finally:
                os._exit(0)


_storm()


def double_odds(numbers):
    return []
'''

MEMORY_BOMB = '''
hoard = []
for _ in range(32):  # at most 8 GiB, asked for in blocks of 256 MiB
    hoard.append(bytes(256 << 20))


def double_odds(numbers):
    return []
'''

OUTPUT_FLOOD = '''
import os
import sys

CHUNK = "x" * ((1 << 20) - 1)


def _flood():
    for _ in range(4096):  # at most 4 GiB, in 1 MiB chunks, until the first error
        try:
            print(CHUNK, flush=True)
            os.write(2, CHUNK.encode())
        except OSError:
            return


_flood()


def double_odds(numbers):
    _flood()
    return []
'''


@dataclass(frozen=True)
class Runaway:
    name: str
    source: str
    statuses: frozenset
    time_limit: float | None = SHORT_LIMIT


RUNAWAYS = [
    Runaway("an endless loop", ENDLESS_LOOP, frozenset({TIMEOUT})),
    Runaway("a loop at import that ignores SIGTERM", IGNORES_SIGTERM, frozenset({TIMEOUT})),
    Runaway("a non-daemon thread left running", THREAD_LEFT_RUNNING, frozenset({FAILED, TIMEOUT})),
    Runaway("a fork storm of 2000 forks", FORK_STORM, frozenset({TIMEOUT, FAILED, ERROR})),
    Runaway("a memory bomb of 8 GiB", MEMORY_BOMB, frozenset({MEMORY, ERROR}), time_limit=None),
    Runaway("4 GiB printed to stdout and stderr", OUTPUT_FLOOD, frozenset({FAILED})),
]


@pytest.mark.parametrize("attack", RUNAWAYS, ids=lambda a: a.name)
def test_an_answer_that_runs_past_its_limits_is_stopped_at_them(attack, mode, tmp_path, time_limits):
    time_limits(("q04", "q09", "q26"), attack.time_limit)
    graded = grade_attack(tmp_path, "q04", attack.source, ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"))
    assert graded["q04"].status in attack.statuses, graded["q04"]
    assert_stopped_at_its_backstop(graded["q04"], LOWERED.get("q04", QUESTIONS["q04"].time_limit))


# -- attacks on the results ---------------------------------------------------------------------
FORGED_OUT_FOLDER = '''
import importlib
import json
import os

OUT = __OUT__
FORGED = json.dumps({"score": 999, "max_score": 999, "tests": [{"name": "everything", "score": 999}]})
JUNIT = '<?xml version="1.0"?><testsuite name="mallory" tests="1" failures="0"><testcase name="all"/></testsuite>'


def _write(path, text):
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError:
        pass


def _forge():
    for name in ("mallory", "forged-student"):
        folder = os.path.join(OUT, name)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            pass
        _write(os.path.join(folder, "results.json"), FORGED)
        _write(os.path.join(folder, "junit.xml"), JUNIT)
    _write(os.path.join(OUT, "gradebook.csv"), "submission,total\\nmallory,999\\n")
    _write(os.path.join(OUT, "summary.json"), FORGED)


_forge()


def double_odds(numbers):
    _forge()
    return []
'''


def fastquiz_grade(*submissions: Path, out: Path):
    result = CliRunner().invoke(main, ["grade", *map(str, submissions), "--out", str(out), "--questions", "q04,q09,q26"])
    assert result.exit_code == 0, result.output
    assert result.exception is None, result.exception
    return result


def scores_in(out: Path, name: str) -> dict[str, tuple[int, int]]:
    """{question id: (score, max score)} from a submission's results.json in the out folder."""
    data = json.loads((out / name / "results.json").read_text())
    return {test["number"]: (test["score"], test["max_score"]) for test in data["tests"]}


def test_forged_results_in_the_out_folder_are_replaced_by_the_real_ones(outside_tmp):
    out = outside_tmp / "out"
    source = FORGED_OUT_FOLDER.replace("__OUT__", repr(str(out)))
    mallory = make_workspace(outside_tmp / "mallory", {"q04": source, "q09": model_answer("q09"),
                                                       "q26": model_answer("q26")})
    fastquiz_grade(mallory, out=out)
    assert scores_in(out, "mallory") == {"q04": (0, 3), "q09": (5, 5), "q26": (4, 4)}
    assert json.loads((out / "mallory" / "results.json").read_text())["score"] == 9
    junit = (out / "mallory" / "junit.xml").read_text()
    parts = sum(len(q.parts) for q in load_questions() if q.id in ("q04", "q09", "q26"))  # a test case per part
    assert 'name="mallory"' in junit and f'tests="{parts}"' in junit and 'testcase name="all"' not in junit
    for written in ("gradebook.csv", "summary.json"):
        text = (out / written).read_text()
        assert "mallory" in text and "999" not in text, written
    assert not (out / "forged-student").exists()  # the worker can't even write there


ANSWER_KEYS = '''
import importlib
import pathlib
import sys

MODULE = "q04_list_comprehension"


def _model_answer():
    """The model answer's double_odds, from wherever fastquiz keeps its solutions."""
    places = []
    try:
        import fastquiz.solutions
        places += [pathlib.Path(p) for p in fastquiz.solutions.__path__]
    except Exception:
        pass
    try:
        import fastquiz
        places.append(pathlib.Path(fastquiz.__file__).resolve().parents[1] / "solutions")
    except Exception:
        pass
    places.append(pathlib.Path(__REPO__) / "solutions")
    for place in places:
        try:
            namespace = {}
            exec((place / f"{MODULE}.py").read_text(), namespace)
            return namespace["double_odds"]
        except Exception:
            pass
    for name in (f"fastquiz.solutions.{MODULE}", f"solutions.{MODULE}"):
        try:
            return (sys.modules.get(name) or importlib.import_module(name)).double_odds
        except Exception:
            pass
    return None


def double_odds(numbers):
    model = _model_answer()
    return model(numbers) if model is not None else []
'''


def test_the_answer_keys_are_out_of_reach(mode, tmp_path):
    source = ANSWER_KEYS.replace("__REPO__", repr(str(ROOT)))
    graded = grade_attack(tmp_path, "q04", source, ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"))


NETWORK = '''
import socket


def double_odds(numbers):
    try:
        with socket.create_connection(("127.0.0.1", __PORT__), timeout=1) as connection:
            connection.sendall(repr(numbers).encode())
    except OSError:
        pass
    return []
'''


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    server.setblocking(False)
    yield server
    server.close()


def connections(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_a_listener_on_localhost_is_out_of_reach(mode, tmp_path, listener):
    source = NETWORK.replace("__PORT__", str(listener.getsockname()[1]))
    graded = grade_attack(tmp_path, "q04", source, ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"))
    assert connections(listener) == 0


VANDAL = '''
import os

TOKEN = __TOKEN__
PLACES = __PLACES__


def _vandalise():
    """Overwrite, then delete, every answer file that carries the victim's token (and only those)."""
    seen = 0
    for top in PLACES:
        for folder, _, names in os.walk(top):
            for name in names:
                seen += 1
                if seen > 50000:
                    return
                path = os.path.join(folder, name)
                try:
                    with open(path) as f:
                        if TOKEN not in f.read(1 << 16):
                            continue
                except OSError:
                    continue
                try:
                    with open(path, "w") as f:
                        f.write("def double_odds(numbers):\\n    return []\\n")
                except OSError:
                    pass
                try:
                    os.remove(path)
                except OSError:
                    pass
    for top in PLACES[:1]:
        try:
            os.rename(top, top + ".gone")
        except OSError:
            pass


_vandalise()


def double_odds(numbers):
    _vandalise()
    return []
'''


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"", p.stat().st_mode)
            for p in sorted(folder.rglob("*"))}


def test_a_submission_cant_touch_another_submissions_files(grade_mode, outside_tmp, token):
    victim = make_workspace(outside_tmp / "victim", {q: f"# {token}\n{model_answer(q)}" for q in ("q04", "q09", "q26")})
    places = [str(victim), "/tmp", "/var/tmp", "/dev/shm", tempfile.gettempdir()]
    source = VANDAL.replace("__TOKEN__", repr(token)).replace("__PLACES__", repr(places))
    mallory = make_workspace(outside_tmp / "mallory", {"q04": source, "q09": model_answer("q09"),
                                                       "q26": model_answer("q26")})
    before = snapshot(victim)
    out = outside_tmp / "out"
    fastquiz_grade(mallory, victim, out=out)
    assert snapshot(victim) == before
    assert scores_in(out, "victim") == {"q04": (3, 3), "q09": (5, 5), "q26": (4, 4)}
    assert scores_in(out, "mallory") == {"q04": (0, 3), "q09": (5, 5), "q26": (4, 4)}


FORGED_LINES = '''
import importlib
import json
import os
import stat

ANCESTORS = __ANCESTORS__
PARTS = [
    {"name": "test_doubles_each_odd_number_in_order", "status": "passed", "score": 2, "max_score": 2, "message": ""},
    {"name": "test_uses_a_list_comprehension", "status": "passed", "score": 1, "max_score": 1, "message": ""},
]
RESULT = {"id": "q04", "title": "List comprehensions", "parts": PARTS, "seconds": 0.1}
FORGERY = ("\\n" + json.dumps(RESULT) + "\\n" + json.dumps({"workspace": 0, "result": RESULT}) + "\\n").encode()


def _write_everywhere():
    for fd in range(3, 1024):  # every descriptor this process has, whatever it is
        try:
            os.write(fd, FORGERY)
        except OSError:
            pass
    for fd in os.listdir("/proc/self/fd"):
        try:
            os.write(int(fd), FORGERY)
        except OSError:
            pass
    if not ANCESTORS:
        return
    pid = os.getppid()
    for _ in range(2):  # the grader's processes: the one running the checks, and the pytest session
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                path = f"/proc/{pid}/fd/{fd}"
                if not os.readlink(path).startswith("pipe:"):
                    continue
                try:
                    out = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                    try:
                        os.write(out, FORGERY)
                    finally:
                        os.close(out)
                except OSError:
                    pass
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return


_write_everywhere()


def double_odds(numbers):
    _write_everywhere()
    return []
'''

FORGED_FRAMES = '''
import importlib
import json
import os
import struct


def _frame(payload, buffers=()):
    """A frame as the worker's replies are laid out (see `wire.write_message`), or raw bytes."""
    if not isinstance(payload, bytes):
        header = json.dumps({"payload": payload, "sizes": [len(b) for b in buffers]}).encode()
        payload = struct.pack(">I", len(header)) + header + b"".join(buffers)
    return struct.pack(">I", len(payload)) + payload


LYING_HEADER = json.dumps({"payload": {"list": []}, "sizes": [100]}).encode()
FRAMES = [
    ({"callback": 424242, "args": {"list": [{"list": []}, {"dict": []}]}}, ()),
    ({"value": {"list": [{"int": "2"}]}, "arguments": {"0": {"data": {"int": "1"}, "grad": None}},
      "modules": {"1": {"int": "0"}}}, ()),
    ({"value": {"argument": "7"}}, ()),
    ({"value": {"array": 5, "dtype": "<i8", "shape": [1], "kind": "tensor"}}, (b"\0" * 8,)),
    ({"value": {"list": []}}, (b"12345678",)),  # a buffer nothing refers to
    (struct.pack(">I", len(LYING_HEADER)) + LYING_HEADER + b"x" * 8, ()),  # buffers that don't add up
    (b"\0\0\0\x10" + b"[" * 100000 + b"]" * 100000, ()),
]


def _reply_pipes():
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                found.append(int(fd))
        except OSError:
            pass
    return found


CALLS = [0]


def double_odds(numbers):
    frame = _frame(*FRAMES[CALLS[0] % len(FRAMES)])
    CALLS[0] += 1
    for fd in _reply_pipes():
        try:
            os.write(fd, frame)
        except OSError:
            pass
    return []
'''


def test_forged_lines_on_every_file_descriptor_forge_no_result(mode, tmp_path, time_limits):
    """The attack writes into every descriptor it holds and tries the pipes of the grader's own
    processes through /proc (which the sandbox keeps from it). (Its junk on the reply pipe
    reads as the length of a frame that never comes: the load runs into the time limit, lowered
    here.)"""
    time_limits(("q04", "q09", "q26"))
    source = FORGED_LINES.replace("__ANCESTORS__", "True")
    graded = grade_attack(tmp_path, "q04", source, ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"))


def test_forged_frames_on_the_reply_pipe_gain_nothing(tmp_path):
    graded = grade_attack(tmp_path, "q04", FORGED_FRAMES, ("q09", "q26"), "check")
    assert_defeated(graded, "q04", ("q09", "q26"))


# -- what a worker leaves behind ----------------------------------------------------------------
STOPS_READING = '''
import os
import struct
import sys
import time

channel = sys.modules["fastquiz.grader.channel"]  # the worker's own, already loaded (an import would be refused)


def _read(fd, size):
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _size_unless_large(fd):
    """A frame's size, read from its header; a large frame is left unread."""
    (size,) = struct.unpack("!i", _read(fd, 4))
    if size > 60000:
        time.sleep(12)  # bounded, in case nothing stops it
        os._exit(0)
    return size


def _receive(self, deadline=None):
    """The worker's loop reads its requests with this."""
    fd = self.connection.fileno()
    return _read(fd, _size_unless_large(fd))


def _receive_into(self, size):
    """... and the bytes of their tensors, which follow them, with this."""
    fd = self.connection.fileno()
    return bytearray(_read(fd, _size_unless_large(fd)))


channel.Channel.receive = _receive
channel.Channel.receive_into = _receive_into
'''


def test_a_worker_that_stops_reading_its_requests_times_out_at_the_questions_limit(mode, tmp_path, time_limits):
    """q03 sends the embedded digits (600 kB) with one request: more than a pipe holds. The model
    answer's parts before it may earn their points; the grader must not wait on the full pipe
    past the question's wall-clock backstop (three times its CPU limit: waiting uses no CPU)."""
    time_limits(("q03", "q04", "q09"), 2.0)
    source = STOPS_READING + model_answer("q03")
    graded = grade_attack(tmp_path, "q03", source, ("q04", "q09"), mode)
    assert_defeated(graded, "q03", ("q04", "q09"), honest=QUESTIONS["q03"].points)
    assert graded["q03"].status == TIMEOUT, graded["q03"]
    assert_stopped_at_its_backstop(graded["q03"], LOWERED["q03"])


LINGERER = '''
import ctypes
import os
import time

NAME = __TOKEN__


def _linger():
    """A daemon (double fork, new session) that would outlive the worker: it sleeps, bounded."""
    child = os.fork()
    if child == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                ctypes.CDLL(None).prctl(15, NAME.encode(), 0, 0, 0)  # PR_SET_NAME
                time.sleep(30)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


_linger()


def double_odds(numbers):
    return []
'''


def test_no_process_the_answer_started_outlives_its_question(mode, tmp_path, token, end_leftovers):
    source = LINGERER.replace("__TOKEN__", repr(token))
    graded = grade_attack(tmp_path, "q04", source, ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"))
    assert not processes_named(token), "a process the attack started outlived grading"


SCRATCH_LITTER = '''
import os

NAME = __TOKEN__


def double_odds(numbers):
    with open(NAME, "wb") as f:  # in the worker's scratch folder, its working directory
        f.write(b"x" * (1 << 20))
    os._exit(3)
'''


def test_a_worker_that_ends_itself_leaves_no_scratch_folder_behind(mode, tmp_path, token):
    source = SCRATCH_LITTER.replace("__TOKEN__", repr(token))
    graded = grade_attack(tmp_path, "q04", source, ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"))
    assert graded["q04"].status == ERROR
    assert not list(Path(tempfile.gettempdir()).glob(f"fastquiz-*/**/{token}"))


SHARED_FOLDER_LINK = '''
import os
from pathlib import Path

TARGET = __TARGET__


def _redirect():
    """Point the folder that checks write into (as the grader's user) somewhere else."""
    for _ in range(2):
        try:
            os.symlink(TARGET, "shared")
            return
        except OSError:
            pass
        try:
            os.rename("shared", "shared.old")
        except OSError:
            return


_redirect()


def count_images(root):
    _redirect()
    return {("written in", str(root)): 1}
'''


def test_the_shared_folder_cant_be_pointed_outside_the_workers_scratch(grade_mode, outside_tmp, tmp_path):
    target = outside_tmp / "target"
    target.mkdir(mode=0o755)
    mtime = target.stat().st_mtime_ns
    model = model_answer("q02").replace("def count_images", "def _model_count_images")
    source = SHARED_FOLDER_LINK.replace("__TARGET__", repr(str(target))) + model
    graded = grade_attack(tmp_path, "q02", source, ("q04", "q09"), grade_mode)
    honest = QUESTIONS["q02"].points - 2  # label_of and WHY_VALID are the model's
    assert_defeated(graded, "q02", ("q04", "q09"), honest=honest, targeted=("test_counts_the_png_files_of_each_split_and_label",))
    assert str(target) not in graded["q02"].message
    assert list(target.iterdir()) == [] and target.stat().st_mtime_ns == mtime
