"""Red team, part three: a hostile class graded the way instructors grade, as root in grade mode.

One run of `python -m fastquiz grade` (a process of its own, isolation on, an instructor's hidden
checks and a budget per submission) grades two honest students and a student per attack. Each
attack tries a whole family, not one instance: every metadata call on every path it can name,
any depth and number of folders, threads until the kernel says no, its worker's memory searched
for other students, every way to a socket outside. While the run goes, the memory of every
grader process (the controller, the origin, the tasks) is sampled. The tests then read what the
run left: the out folder, the files it must not have touched, the socket it must not have
reached, the temporary folder it must have emptied.

A second group grades a small class in every order and gets the same grades each time: no
grade depends on another submission (results shared between identical answers are only those
no other answer could have caused).
"""
from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from fastquiz.grader import sandbox
from fastquiz.grader.answers import MAX_ANSWER_BYTES
from test_red_team import QUESTIONS, model_answer

ROOT = Path(__file__).resolve().parents[1]
MEMORY_BOUND_MB = 1024  # the peak resident memory any grader process may reach (normally ~300 MB)
QUESTIONS_GRADED = ("q04", "q09", "q26", "q14")
TOKEN = f"fq{uuid.uuid4().hex[:10]}"  # in every name a student could look for

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox is Linux's")

# -- the attacks, each a q04 answer (q14's for the callback hog) that keeps the stub's names ------------
CORRECT = "\n\ndef double_odds(numbers):\n    return [2 * n for n in numbers if n % 2]\n"

METADATA = '''
import os
import sys

TARGETS = __TARGETS__


def _ancestors():
    here, found = os.getcwd(), []
    while True:
        found.append(here)
        parent = os.path.dirname(here)
        if parent == here:
            return found
        here = parent


def _everything():
    for path in [*TARGETS, *_ancestors(), sys.executable, os.__file__, __file__]:
        for call in (lambda: os.chmod(path, 0o4777), lambda: os.chmod(path, 0), lambda: os.utime(path, (0, 0)),
                     lambda: os.utime(path, None), lambda: os.chown(path, 65534, 65534), lambda: os.lchown(path, 1, 1),
                     lambda: os.setxattr(path, b"user.fastquiz", b"x"), lambda: os.removexattr(path, b"user.keep"),
                     lambda: os.chmod(path, 0o777, follow_symlinks=False)):
            try:
                call()
            except Exception:
                pass
        try:
            fd = os.open(path, os.O_RDONLY)
            for call in (lambda: os.fchmod(fd, 0o777), lambda: os.fchown(fd, 1, 1), lambda: os.utime(fd, (0, 0)),
                         lambda: os.setxattr(fd, b"user.fastquiz", b"x")):
                try:
                    call()
                except Exception:
                    pass
            os.close(fd)
        except Exception:
            pass


_everything()
''' + CORRECT.replace("    return", "    _everything()\n    return")

DEEP_AND_WIDE = '''
import os


def _fill():
    """Folders nested deeper than any path can name, then as many empty folders as it can make."""
    fd = os.open(".", os.O_RDONLY)
    for _ in range(5000):
        try:
            os.mkdir("d" * 40, dir_fd=fd)
            child = os.open("d" * 40, os.O_RDONLY, dir_fd=fd)
        except OSError:
            break
        os.close(fd)
        fd = child
    os.close(fd)
    for i in range(30000):
        try:
            os.mkdir(f"empty{i}")
        except OSError:
            break


_fill()
''' + CORRECT

THREADS = '''
import threading
import time

made = []


def _take_every_thread():
    """Threads that sleep, made until the system refuses one (at most 30,000)."""
    for _ in range(30000):
        try:
            thread = threading.Thread(target=time.sleep, args=(60,), daemon=True)
            thread.start()
            made.append(thread)
        except Exception:
            break
    try:
        threading.stack_size(32768)
        for _ in range(30000):
            thread = threading.Thread(target=time.sleep, args=(60,), daemon=True)
            thread.start()
            made.append(thread)
    except Exception:
        pass


def double_odds(numbers):
    _take_every_thread()
    raise RuntimeError(f"made {len(made)} threads")
'''

SNOOP = '''
TOKEN = __TOKEN_HALVES__


def _found():
    """Every place in this process's memory where a name with the class's token appears (the token
    is in two halves here, so that this file's own text never holds it whole)."""
    first, second = (h.encode() for h in TOKEN)
    found = set()
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
            at = chunk.find(first + second)
            while at >= 0:
                found.add(chunk[max(0, at - 40):at + 40].decode("ascii", "replace"))
                at = chunk.find(first + second, at + 1)
    return sorted(found)


def double_odds(numbers):
    raise RuntimeError(f"found {_found()}")
'''

SOCKETS = '''
import socket

SOCKET = __SOCKET__


def _reach():
    reached = []
    for family, kind in ((socket.AF_UNIX, socket.SOCK_STREAM), (socket.AF_UNIX, socket.SOCK_DGRAM),
                         (socket.AF_INET, socket.SOCK_STREAM)):
        try:
            s = socket.socket(family, kind)
            s.connect(SOCKET if family == socket.AF_UNIX else ("127.0.0.1", 22))
            s.sendall(b"attack")
            reached.append(family)
        except Exception:
            pass
    try:
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        a.sendto(b"attack", SOCKET)
        reached.append("socketpair")
    except Exception:
        pass
    return reached


def double_odds(numbers):
    return [2 * n for n in numbers if n % 2] if not _reach() else []
'''

CALLBACK_HOG = '''
import torch


def init(n_inputs):
    return torch.zeros(n_inputs, 1)


def predict(weights, x):
    return x @ weights


def loss(predictions, y):
    return predictions.mean()


def gradient(loss_value):
    pass


def step(weights, lr):
    pass


def stop(epochs_done, loss_value, max_epochs):
    return True


def train(x, y, lr, max_epochs, init, predict, loss, gradient, step, stop):
    big = torch.zeros(1024, 1024)
    for _ in range(2000):  # 8 GB in all, each call's arguments kept by the check's stand-ins
        predict(big, x)
    return init(x.shape[1])
'''


# -- the run --------------------------------------------------------------------------------------
@dataclass
class Run:
    out: Path
    folder: Path
    returncode: int
    stdout: str
    stderr: str
    peaks: dict[str, int]  # process name -> the largest peak resident memory (bytes) seen
    before: dict[str, tuple]  # path -> its metadata before the run
    after: dict[str, tuple]
    socket_data: list[bytes]
    leftovers: list[str]  # what the run left in its temporary folder

    def results(self, name: str) -> dict:
        return json.loads((self.out / name / "results.json").read_text())

    def scores(self, name: str) -> dict[str, int]:
        return {test["number"]: test["score"] for test in self.results(name)["tests"] if test.get("number")}

    def messages(self, name: str) -> str:
        return json.dumps(self.results(name)) + (self.out / name / "junit.xml").read_text()


def metadata(path: Path) -> tuple:
    info = os.lstat(path)
    try:
        attributes = sorted(os.listxattr(path, follow_symlinks=False))
    except OSError:
        attributes = []
    return info.st_mode, info.st_uid, info.st_gid, info.st_mtime_ns, info.st_atime_ns, attributes


def submission(folder: Path, answers: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for question, source in answers.items():
        (folder / f"{QUESTIONS[question].module}.py").write_text(source)
    return folder


def honest() -> dict[str, str]:
    return {q: model_answer(q) for q in QUESTIONS_GRADED}


def sample_memory(root: int, peaks: dict[str, int], stop: threading.Event) -> None:
    """The largest VmHWM (peak resident memory) of the run's grader processes, by name."""
    while not stop.is_set():
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                comm = (entry / "comm").read_text().strip()
                status = (entry / "status").read_text()
            except OSError:
                continue
            pid = int(entry.name)
            if pid == root or comm in ("fastquiz-origin", "fastquiz-task"):
                name = "controller" if pid == root else comm
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[name] = max(peaks.get(name, 0), int(line.split()[1]) * 1024)
        stop.wait(0.05)


@pytest.fixture(scope="module")
def hostile_class():
    folder = Path(tempfile.mkdtemp(prefix="fastquiz-class-", dir="/srv" if os.access("/srv", os.W_OK) else None))
    folder.chmod(0o755)
    scratch = folder / "tmp"  # the run's TMPDIR: empty again when it ends
    scratch.mkdir()
    hidden = folder / "hidden"
    hidden.mkdir(mode=0o700)
    key = hidden / "key.json"
    key.write_text('{"secret": 1}')
    key.chmod(0o600)
    os.setxattr(key, b"user.keep", b"1")
    out = folder / "out"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener_path = str(folder / "grader.sock")
    listener.bind(listener_path)
    os.chmod(listener_path, 0o600)
    listener.listen(8)
    listener.settimeout(0.2)
    subs = folder / "submissions"
    subs.mkdir()
    targets = [str(p) for p in (hidden, key, subs, folder, folder / "out", Path(sys.executable).resolve(),
                                Path(sandbox.__file__))]
    students = {
        f"alice-{TOKEN}": honest(), f"bob-{TOKEN}": honest(),
        "metadata": honest() | {"q04": METADATA.replace("__TARGETS__", repr(targets))},
        "deep": honest() | {"q04": DEEP_AND_WIDE},
        "threads": honest() | {"q04": THREADS},
        "snoop": honest() | {"q04": SNOOP.replace("__TOKEN_HALVES__", repr((TOKEN[:5], TOKEN[5:])))},
        "sockets": honest() | {"q04": SOCKETS.replace("__SOCKET__", repr(listener_path))},
        "hog": honest() | {"q14": CALLBACK_HOG},
        "huge": honest() | {"q04": CORRECT + "\n" + "#" * 100 + "\n" + "x = [" + "1," * (3 << 20) + "]\n"},
        ";=1+2;": honest(),
    }
    paths = [submission(subs / name, answers) for name, answers in students.items()]
    watched = [hidden, key, subs, *paths, *(p / f for p in paths for f in os.listdir(p)), folder,
               Path(sys.executable).resolve(), Path(sandbox.__file__), Path(tempfile.gettempdir())]
    before = {str(p): metadata(p) for p in watched}
    environment = dict(os.environ, TMPDIR=str(scratch))
    process = subprocess.Popen(
        [sys.executable, "-m", "fastquiz", "grade", *map(str, paths), "--out", str(out), "--hidden", str(hidden),
         "--questions", ",".join(QUESTIONS_GRADED), "--budget", "40", "--jobs", "2"],
        env=environment, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks: dict[str, int] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(process.pid, peaks, stop), daemon=True)
    sampler.start()
    received: list[bytes] = []
    deadline = time.monotonic() + 900
    while process.poll() is None and time.monotonic() < deadline:
        try:
            connection, _ = listener.accept()
            received.append(connection.recv(100))
            connection.close()
        except (TimeoutError, OSError):
            pass
    stdout, stderr = process.communicate(timeout=60)
    stop.set()
    sampler.join()
    listener.close()
    after = {str(p): metadata(p) for p in watched}
    yield Run(out, folder, process.returncode, stdout, stderr, peaks, before, after, received,
              os.listdir(scratch))
    import shutil

    from fastquiz.grader import tree

    tree.remove(str(folder))
    shutil.rmtree(folder, ignore_errors=True)


def full_marks() -> dict[str, int]:
    return {q: QUESTIONS[q].points for q in QUESTIONS_GRADED}


def test_the_run_ends_normally_and_every_honest_student_keeps_every_point(hostile_class):
    run = hostile_class
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert run.stdout.startswith("isolation: full"), run.stdout
    for name in (f"alice-{TOKEN}", f"bob-{TOKEN}"):
        assert run.scores(name) == full_marks(), name
    for attacker in ("metadata", "deep", "threads", "snoop", "sockets", "hog", "huge"):
        scores = run.scores(attacker)
        assert {q: s for q, s in scores.items() if q not in ("q04", "q14")} == \
            {q: p for q, p in full_marks().items() if q not in ("q04", "q14")}, (attacker, scores)


def test_no_metadata_outside_a_workers_folder_changes(hostile_class):
    """chmod, chown, utime and extended attributes, by path and by descriptor, on the grader's files,
    the hidden checks and their key, the submissions, the out folder's parent, the Python executable
    and the worker's own parents: nothing changed, and the attacker's answer still ran."""
    run = hostile_class
    changed = {path: (run.before[path], run.after[path]) for path in run.before
               if run.before[path][:3] != run.after[path][:3] or run.before[path][5] != run.after[path][5]
               or (run.before[path][3] != run.after[path][3] and not os.path.isdir(path))}
    assert not changed, changed
    assert run.scores("metadata")["q04"] >= 2  # its code ran to the end (its helper's loops cost the source part)


def test_trees_of_any_depth_and_width_end_at_the_caps_and_leave_nothing_behind(hostile_class):
    run = hostile_class
    message = run.messages("deep")
    assert "nested folders more than" in message or "files and folders" in message or "MB of files" in message, \
        message[:2000]
    assert run.leftovers == [], run.leftovers  # every worker's folder, however deep, removed


def test_threads_are_bounded_by_the_kernel(hostile_class):
    message = hostile_class.messages("threads")
    made = int(message.split("made ", 1)[1].split(" threads", 1)[0])
    assert made <= sandbox.THREADS, message[:2000]  # its own thread and THREADS more


def test_a_worker_knows_nothing_of_the_other_students(hostile_class):
    """Its memory holds no classmate's name (nor the hidden or out folders, which bear the class's
    token only through those names), and so neither do its results."""
    run = hostile_class
    message = run.messages("snoop")
    assert "found []" in message, message[:3000]
    for attacker in ("metadata", "deep", "threads", "snoop", "sockets", "hog", "huge"):
        assert TOKEN not in run.messages(attacker), attacker


def test_no_socket_outside_is_reached(hostile_class):
    run = hostile_class
    assert run.socket_data == []
    assert run.scores("sockets")["q04"] >= 2  # every way was refused, and its answer went on (its loops cost a part)


def test_the_checks_process_keeps_at_most_its_share_of_what_an_answer_hands_it(hostile_class):
    message = hostile_class.messages("hog")
    assert "handed the check's functions more than they take" in message, message[:2000]


def test_a_huge_answer_is_refused_before_it_is_read(hostile_class):
    message = hostile_class.messages("huge")
    assert f"an answer file may be at most {MAX_ANSWER_BYTES >> 10} KB" in message, message[:2000]


def test_every_grader_process_stays_under_its_memory_bound(hostile_class):
    peaks = hostile_class.peaks
    assert {"controller", "fastquiz-origin", "fastquiz-task"} <= set(peaks), peaks
    assert max(peaks.values()) < MEMORY_BOUND_MB << 20, {k: f"{v >> 20} MB" for k, v in peaks.items()}


def test_the_gradebook_keeps_formulas_out_of_every_cell(hostile_class):
    text = (hostile_class.out / "gradebook.csv").read_text()
    assert "'=1+2;" in text and ";=1+2" not in text.replace(";'=1+2", "")


# -- no grade depends on another submission -------------------------------------------------------
POISON = '''
import sys

for name, module in list(sys.modules.items()):
    if name.startswith("fastquiz_answer_") or name in ("torch", "numpy"):
        continue
    if name.startswith("fastquiz.grader"):
        for attribute in dir(module):
            if attribute.startswith(("tensor_", "_copy", "_same")):
                setattr(module, attribute, lambda *a, **k: None)
import torch

torch.manual_seed = lambda *a, **k: None
torch.tensor = lambda *a, **k: torch.zeros(1)
''' + CORRECT

SPENDER = '''
def double_odds(numbers):
    while True:
        pass
'''


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small-class")
    return [submission(folder / "poison", {q: model_answer(q) for q in ("q09", "q26", "q14")} | {"q04": POISON}),
            submission(folder / "spender", {q: model_answer(q) for q in ("q09", "q26", "q14")} | {"q04": SPENDER}),
            submission(folder / "carol", {q: model_answer(q) for q in ("q04", "q09", "q26", "q14")})]


def grades(submissions: list[Path], out: Path, questions: str = "q04,q09,q26,q14", jobs: int = 2) -> dict[str, dict]:
    result = subprocess.run([sys.executable, "-m", "fastquiz", "grade", *map(str, submissions), "--out", str(out),
                             "--questions", questions, "--budget", "8", "--jobs", str(jobs)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    found = {}
    for path in submissions:
        tests = json.loads((out / path.name / "results.json").read_text())["tests"]
        found[path.name] = {test["name"]: (test["score"], test.get("status")) for test in tests}
    return found


@pytest.mark.slow
def test_a_class_graded_in_every_order_gets_the_same_grades(small_class, tmp_path):
    seen = [grades(list(order), tmp_path / f"out{i}") for i, order in enumerate(itertools.permutations(small_class))]
    assert all(grades == seen[0] for grades in seen[1:]), seen
    carol = seen[0]["carol"]
    assert all(score > 0 for score, _ in carol.values()), carol


# Right results, then a change to the model the check handed over (copied back into the check's own
# model, as every in-place change of an answer is). The checks work their reference runs and the
# models they start from out once per task (`checks/_helpers.worked_out_once`): none of this may
# reach the next submission that task grades.
TAMPERING = {
    "q20": model_answer("q20") + """

_trained = train


def train(model, x, y, loss_func, lr, steps):
    losses = _trained(model, x, y, loss_func, lr, steps)
    with torch.no_grad():
        model.weight.mul_(0)
    return losses
""",
    "q22": model_answer("q22") + """

_nudged = nudge_one_weight


def nudge_one_weight(model, x, y, index, delta):
    changes = _nudged(model, x, y, index, delta)
    with torch.no_grad():
        model.bias.fill_(3.0)
    return changes
""",
}


def test_what_an_answer_does_to_a_checks_model_reaches_no_later_submission(tmp_path):
    """One task grades both submissions (--jobs 1), the tampering one first and then last."""
    tamperer = submission(tmp_path / "tamperer", TAMPERING)
    carol = submission(tmp_path / "carol", {q: model_answer(q) for q in TAMPERING})
    seen = [grades(order, tmp_path / f"out{i}", "q20,q22", jobs=1)
            for i, order in enumerate(([tamperer, carol], [carol, tamperer]))]
    assert seen[0] == seen[1], seen
    assert all(status == "passed" for _, status in seen[0]["carol"].values()), seen[0]["carol"]


# Right counts, then every change it can try to the folder tree the check handed over: its files'
# bytes, names and metadata, its folders' names and metadata, new entries. A task builds
# q02's trees once, in a folder every worker it starts may read (`Student.shared_folder`), and hands
# the same trees to every submission it grades: none of this may reach the next one.
TREE_TAMPERING = model_answer("q02").replace("def count_images", "def _model_count_images") + '''

def count_images(root):
    import os

    counts = _model_count_images(root)
    for here, folders, files in os.walk(root, topdown=False):
        for name in files:
            path = os.path.join(here, name)
            for attempt in (lambda: open(path, "ab").write(b"x"), lambda: os.rename(path, path + ".png"),
                            lambda: os.remove(path), lambda: os.truncate(path, 0), lambda: os.chmod(path, 0),
                            lambda: os.utime(path, (0, 0)), lambda: os.chown(path, 65534, 65534)):
                try:
                    attempt()
                except OSError:
                    pass
        for name in folders:
            folder = os.path.join(here, name)
            for attempt in (lambda: os.rename(folder, folder + "x"), lambda: os.chmod(folder, 0),
                            lambda: os.chown(folder, 65534, 65534)):
                try:
                    attempt()
                except OSError:
                    pass
        for name in ("1001.png", "extra.png"):
            for attempt in (lambda: open(os.path.join(here, name), "wb").close(), lambda: os.mkdir(os.path.join(here, name + ".d")),
                            lambda: os.symlink(here, os.path.join(here, name + ".link"))):
                try:
                    attempt()
                except OSError:
                    pass
    return counts
'''


def test_what_an_answer_does_to_the_trees_a_task_shares_reaches_no_later_submission(tmp_path):
    """One task grades both submissions (--jobs 1), the tampering one first and then last."""
    tamperer = submission(tmp_path / "tamperer", {"q02": TREE_TAMPERING})
    carol = submission(tmp_path / "carol", {"q02": model_answer("q02")})
    seen = [grades(order, tmp_path / f"out{i}", "q02", jobs=1) for i, order in enumerate(([tamperer, carol], [carol, tamperer]))]
    assert seen[0] == seen[1], seen
    assert all(status == "passed" for _, status in [*seen[0]["carol"].values(), *seen[0]["tamperer"].values()]), seen[0]
