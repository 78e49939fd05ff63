"""Red team, part two: attacks on what the sandbox keeps from student code and on fairness.

The same rules as in test_red_team.py (whose helpers these tests use): each attack gains
nothing, no innocent answer loses a point, and nothing is left behind. These attacks look
for secrets in the worker's memory, environment and disk (answer keys, hidden checks,
classmates' answers, the grader's environment variables, the out folder, the reference
implementation), try to get more than their share of memory, processes, CPU or time, and
leave objects behind (SysV IPC, files outside the worker's folder).
"""
from __future__ import annotations

import dataclasses
import os
import textwrap
import time
from pathlib import Path

import pytest

from fastquiz.grader.results import ERROR, PASSED, TIMEOUT
from fastquiz.grader.runner import GraderFault, grade, grade_many
from fastquiz.grader.protocol import Limits
from test_red_team import (QUESTIONS, assert_defeated, fastquiz_grade, grade_attack, limits_for, make_workspace,
                           model_answer, scores_in)
from test_red_team import mode, outside_tmp, time_limits, token  # noqa: F401 (fixtures)

HIDDEN_Q04 = '''
from fastquiz.grader.question import HiddenChecks

CHECKS = HiddenChecks()
KEY = {"input": [13, 8, 21], "answer": __ANSWER__}


@CHECKS.part(points=2)
def test_agrees_with_the_answer_key(student):
    assert student.function("double_odds")(KEY["input"]) == KEY["answer"], "not the key's answer"
'''

MEMORY_SCAN = '''
import gc
import sys

MARK = "classmate " + __TOKEN__


def _loot():
    """Whatever graded material this process holds: answer keys, check modules, classmates' code."""
    gc.unfreeze()
    found = [m for n, m in list(sys.modules.items()) if "checks" in n or "hidden" in n or "solutions" in n]
    for obj in gc.get_objects():
        try:
            if isinstance(obj, dict) and isinstance(obj.get("KEY"), dict):
                found.append(obj["KEY"])
            elif type(obj).__name__ in ("Student", "CheckedQuestion", "Unit"):
                found.append(obj)
            elif isinstance(obj, str) and MARK in obj and "def double_odds" in obj:
                found.append(obj)
        except Exception:
            pass
    return found


def double_odds(numbers):
    for loot in _loot():
        if isinstance(loot, dict) and "answer" in loot:
            return loot["answer"]
        if isinstance(loot, str):
            namespace = {}
            exec(loot, namespace)
            return namespace["double_odds"](numbers)
    return []
'''


def test_memory_holds_no_answer_key_hidden_check_or_classmate(tmp_path, token):
    """A classmate is graded first, in the same task; the hidden check's key is loaded by the grader."""
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "q04_list_comprehension.py").write_text(HIDDEN_Q04.replace("__ANSWER__", "[26, 42]"))
    classmate = make_workspace(tmp_path / "classmate", {"q04": f"# classmate {token}\n" + model_answer("q04")})
    attacker = make_workspace(tmp_path / "attacker", {"q04": MEMORY_SCAN.replace("__TOKEN__", repr(token))})
    honest, attack = (r.questions[0] for r in grade_many([classmate, attacker], ["q04"], jobs=1,
                                                         limits=limits_for("grade", hidden), hidden=hidden))
    assert honest.score == honest.max_score == QUESTIONS["q04"].points + 2
    assert attack.score == 0, attack.parts


ENVIRONMENT = '''
import os

HALVES = __HALVES__  # the secret in two pieces, so that this file's own text never holds it whole


def _in_memory():
    """Whether this process's memory holds the secret anywhere, matched piece by piece (the
    whole secret is never built before this search ends)."""
    first, second = (h.encode() for h in HALVES)
    try:
        with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", buffering=0) as mem:
            for line in maps.readlines():
                span, perms = line.split()[:2]
                start, end = (int(x, 16) for x in span.split("-"))
                if "r" not in perms or end - start > 1 << 30:
                    continue
                try:
                    mem.seek(start)
                    chunk = mem.read(end - start)
                except (OSError, OverflowError, ValueError):
                    continue
                at = chunk.find(first)
                while at >= 0:
                    if chunk[at + len(first):at + len(first) + len(second)] == second:
                        return True
                    at = chunk.find(first, at + 1)
    except OSError:
        pass
    return False


def _exposed():
    """Every place the grader's environment could show: this process's memory, os.environ, /proc."""
    found = ["memory"] if _in_memory() else []
    secret = "".join(HALVES)
    found += [f"os.environ[{k}]" for k, v in os.environ.items() if secret in v]
    for path in ("/proc/self/environ", f"/proc/{os.getppid()}/environ", "/proc/1/environ"):
        try:
            with open(path, "rb") as f:
                if secret.encode() in f.read():
                    found.append(path)
        except OSError:
            pass
    return found


def double_odds(numbers):
    raise RuntimeError(f"found {_exposed()} in {dict(os.environ)}")
'''


def test_the_graders_environment_never_reaches_student_code(tmp_path, token, monkeypatch):
    monkeypatch.setenv("FASTQUIZ_RED_TEAM_TOKEN", token)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", token)
    halves = repr((token[:6], token[6:]))
    graded = grade_attack(tmp_path, "q04", ENVIRONMENT.replace("__HALVES__", halves), ("q09", "q26"), "grade")
    assert_defeated(graded, "q04", ("q09", "q26"))
    message = graded["q04"].message
    assert message.startswith("RuntimeError: found [] in") and token not in message, message


OUT_FOLDER_READER = '''
OUT = __OUT__


def double_odds(numbers):
    try:
        with open(OUT + "/gradebook.csv") as f:
            text = f.read()
    except OSError as error:
        text = str(error)
    raise RuntimeError("gradebook: " + text)
'''


def test_an_earlier_gradebook_in_the_out_folder_cant_be_read(outside_tmp, token):
    out = outside_tmp / "out"
    out.mkdir()
    (out / "gradebook.csv").write_text(f"submission,total\nsomeone,{token}\n")
    mallory = make_workspace(outside_tmp / "mallory", {"q04": OUT_FOLDER_READER.replace("__OUT__", repr(str(out))),
                                                       "q09": model_answer("q09"), "q26": model_answer("q26")})
    fastquiz_grade(mallory, out=out)
    results = (out / "mallory" / "results.json").read_text()
    assert token not in results and "gradebook: [Errno 13] Permission denied" in results
    assert scores_in(out, "mallory") == {"q04": (0, 3), "q09": (5, 5), "q26": (4, 4)}


REFERENCE_IMPORTS = {
    "an import of a name the stub does not give": '''
from fastquiz.reference import linear1
''',
    "importlib, past the import statement": '''
import importlib

linear1 = importlib.import_module("fastquiz.reference.linear").linear1
''',
    "the reference's file, read and run": '''
import sys
from pathlib import Path

_package = Path(sys.modules["fastquiz"].__file__).resolve().parent
_namespace = {"__name__": "stolen"}
for _place in (_package / "reference", _package.parent / "reference"):
    try:
        exec((_place / "linear.py").read_text(), _namespace)
        break
    except OSError:
        pass
linear1 = _namespace.get("linear1")
''',
}


@pytest.mark.parametrize("route", REFERENCE_IMPORTS, ids=list(REFERENCE_IMPORTS))
def test_an_answer_cant_use_the_reference_implementation_its_question_asks_for(route, mode, tmp_path):
    """q28 asks for linear1, which fastquiz.reference has: its stub gives nothing from fastquiz."""
    source = REFERENCE_IMPORTS[route] + model_answer("q28").split("def linear1", 1)[0].split("import torch", 1)[1]
    graded = grade_attack(tmp_path, "q28", "import torch\n" + source, ("q04", "q09"), mode)
    assert_defeated(graded, "q28", ("q04", "q09"))
    assert graded["q28"].status == ERROR, graded["q28"]


def test_an_import_the_stub_does_not_give_fails_with_a_message_that_says_so(tmp_path):
    graded = grade_attack(tmp_path, "q28", REFERENCE_IMPORTS["an import of a name the stub does not give"],
                          ("q04", "q09"), "check")
    assert graded["q28"].message.startswith(
        "ImportError: q28_bias may not import linear1 from fastquiz.reference: this question's stub imports nothing "
        "from fastquiz, so write it yourself"), graded["q28"].message


CHILDREN_HOLDING_MEMORY = '''
import os


def _spawn():
    for _ in range(3):
        if os.fork() == 0:
            block = bytearray(1 << 30)  # 1 GiB each: three of them past the 2 GiB limit
            os._exit(0)


def double_odds(numbers):
    _spawn()
    return [2 * n for n in numbers if n % 2]
'''

IPC_OBJECTS = '''
import ctypes

KEY = __KEY__
libc = ctypes.CDLL(None, use_errno=True)


def double_odds(numbers):
    made = [libc.shmget(KEY, 1 << 20, 0o1666), libc.semget(KEY, 1, 0o1666), libc.msgget(KEY, 0o1666)]
    raise RuntimeError(f"ids {made}, errno {ctypes.get_errno()}")
'''

FILES_OUTSIDE = '''
import os

NAME = __TOKEN__
PLACES = ["/run/lock", "/dev/shm", "/tmp", "/var/tmp", os.path.expanduser("~"), "/"]


def double_odds(numbers):
    for place in PLACES:
        try:
            with open(os.path.join(place, NAME), "w") as f:
                f.write("left behind")
        except OSError:
            pass
    return []
'''

SCRATCH_FILL = '''
def double_odds(numbers):
    for i in range(200):  # 8 MB files (the largest a worker may write), 1.6 GB in all
        with open(f"fill-{i}", "wb") as f:
            f.write(b"x" * (8 << 20))
    return []
'''


def sysv_keys() -> set[int]:
    keys = set()
    for kind in ("shm", "sem", "msg"):
        path = Path(f"/proc/sysvipc/{kind}")
        if path.exists():
            keys |= {int(line.split()[0]) for line in path.read_text().splitlines()[1:] if line.strip()}
    return keys


def test_child_processes_cant_hold_memory_past_the_limit(mode, tmp_path):
    graded = grade_attack(tmp_path, "q04", CHILDREN_HOLDING_MEMORY, ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"), honest=1)
    assert "Operation not permitted" in graded["q04"].message, graded["q04"].message


def test_no_sysv_ipc_object_outlives_grading(mode, tmp_path, token):
    key = int(token[-6:], 16)
    graded = grade_attack(tmp_path, "q04", IPC_OBJECTS.replace("__KEY__", str(key)), ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"), honest=1)
    assert "ids [-1, -1, -1]" in graded["q04"].message, graded["q04"].message
    assert key not in sysv_keys()


def test_no_file_is_left_outside_the_workers_folder(mode, tmp_path, token):
    graded = grade_attack(tmp_path, "q04", FILES_OUTSIDE.replace("__TOKEN__", repr(token)), ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"), honest=1)
    for place in ("/run/lock", "/dev/shm", "/tmp", "/var/tmp", os.path.expanduser("~"), "/"):
        assert not (Path(place) / token).exists(), place


def test_filling_the_workers_folder_stops_at_its_cap(mode, tmp_path):
    graded = grade_attack(tmp_path, "q04", SCRATCH_FILL, ("q09", "q26"), mode)
    assert_defeated(graded, "q04", ("q09", "q26"), honest=1)
    assert "wrote more than 64 MB of files" in graded["q04"].message, graded["q04"].message


HOG = '''
import threading
import time

import torch


def _hog():
    torch.set_num_threads(8)
    a = torch.randn(400, 400)
    ends = time.monotonic() + 30  # bounded
    while time.monotonic() < ends:
        a @ a


for _ in range(8):
    threading.Thread(target=_hog, daemon=True).start()


def double_odds(numbers):
    time.sleep(0.2)
    return []
'''

SLOW_BUT_HONEST = '''
import time

_ends = time.process_time() + 1.3  # most of its 2 s of CPU time, at load
while time.process_time() < _ends:
    pass
'''


def test_a_cpu_hog_cant_make_a_slow_honest_neighbour_time_out(tmp_path, time_limits):
    """Graded side by side on both cores: a CPU limit counts an answer's own CPU time, so the hog's
    threads slow the honest answer down without costing it its points (a wall-clock limit of 2 s would)."""
    time_limits(("q04",), 2.0)
    hog = make_workspace(tmp_path / "hog", {"q04": HOG})
    honest = make_workspace(tmp_path / "honest", {"q04": SLOW_BUT_HONEST + model_answer("q04")})
    hogged, fair = (r.questions[0] for r in grade_many([hog, honest], ["q04"], jobs=2, limits=limits_for("grade")))
    assert fair.status == PASSED and fair.score == QUESTIONS["q04"].points, fair
    assert hogged.score == 0


SLEEPER = '''
import time

time.sleep(20)  # bounded
'''


def test_a_submission_of_sleepers_is_cut_off_at_its_budget(tmp_path, time_limits):
    time_limits(("q04", "q09", "q26"), 5.0)  # each may wait 15 s: 45 s in all without a budget
    sleepers = make_workspace(tmp_path / "sleepers", {q: SLEEPER + model_answer(q) for q in ("q04", "q09", "q26")})
    honest = make_workspace(tmp_path / "honest", {q: model_answer(q) for q in ("q04", "q09", "q26")})
    started = time.monotonic()
    slept, fair = grade_many([sleepers, honest], ["q04", "q09", "q26"], jobs=1,
                             limits=dataclasses.replace(limits_for("grade"), budget=4.0))
    assert time.monotonic() - started < 4.0 + 20  # 45 s without a budget
    assert fair.score == fair.max_score
    assert [q.status for q in slept.questions] == [TIMEOUT] * 3
    messages = [q.message for q in slept.questions]
    cut = [m for m in messages if "took longer than the submission's 4 s grading budget" in m]
    unrun = [m for m in messages if "not run: nothing was left of the submission's 4 s grading budget" in m]
    assert (len(cut), len(unrun)) == (1, 2), messages


@pytest.mark.skipif(os.geteuid() != 0, reason="needs another user's folder that only root can read")
def test_python_in_another_users_0700_home_is_read_by_root_s_workers(tmp_path, monkeypatch):
    """As in grading as root with Python in another user's 0700 home: a worker has a user id of its
    own, and keeps the one capability of reading past file modes (Landlock decides what it reads)."""
    elsewhere = tmp_path / "home"
    elsewhere.mkdir(mode=0o700)
    (elsewhere / "helpers.py").write_text("def double(n):\n    return 2 * n\n")
    os.chown(elsewhere, 65534, 65534)
    monkeypatch.setenv("PYTHONPATH", str(elsewhere))
    answer = "from helpers import double\n\n\ndef double_odds(numbers):\n    return [double(n) for n in numbers if n % 2]\n"
    workspace = make_workspace(tmp_path / "w", {"q04": answer})
    result = grade(workspace, ["q04"], limits=Limits(isolate=True)).questions[0]
    assert result.score == result.max_score, result


def test_an_environment_the_sandbox_cant_read_stops_grading_before_it_starts(tmp_path, monkeypatch):
    """Where the sandbox's rules would leave out a folder the grader's Python loads from (here, by a
    rule taken away), the trial worker finds it before a single answer is graded: the grader's fault."""
    import torch

    from fastquiz.grader import sandbox

    real = sandbox.worker_environment
    torch_file = os.path.realpath(torch.__file__)

    def without_torch(hide):
        return [(path, access) for path, access in real(hide) if not torch_file.startswith(path.rstrip("/") + "/")]

    monkeypatch.setattr(sandbox, "worker_environment", without_torch)
    workspace = make_workspace(tmp_path / "w", {"q04": model_answer("q04")})
    with pytest.raises(GraderFault, match="the sandbox can't read .*torch"):
        grade(workspace, ["q04"], limits=Limits(isolate=True))


FAKE_ENVIRONMENT_FAULT = '''
def double_odds(numbers):
    raise ModuleNotFoundError("No module named 'cProfile'", name="cProfile")
'''


def test_an_answer_that_fakes_a_missing_module_is_its_own_error_not_the_graders(tmp_path):
    """The grader tries the module in a fresh sandbox before it blames itself: a student can raise any error."""
    graded = grade_attack(tmp_path, "q04", FAKE_ENVIRONMENT_FAULT, ("q09", "q26"), "grade")
    assert_defeated(graded, "q04", ("q09", "q26"))
    assert graded["q04"].status == ERROR and "cProfile" in graded["q04"].message


def test_lazily_imported_modules_load_in_the_sandbox(tmp_path):
    """What a correct answer may pull in on first use (the profiler behind torch.optim, matplotlib's
    backend) loads in the worker wherever the Python environment lives."""
    source = textwrap.dedent('''
        import cProfile
        import matplotlib.backends.backend_agg
        import torch.optim
    ''') + model_answer("q04")
    graded = grade_attack(tmp_path, "q04", source, ("q09", "q26"), "grade")
    assert graded["q04"].status == PASSED, graded["q04"]


def test_results_record_the_isolation_in_force(tmp_path):
    report = grade(make_workspace(tmp_path / "w", {"q04": model_answer("q04")}), ["q04"], limits=Limits(isolate=True))
    assert report.isolation.startswith("full (Landlock ABI")
