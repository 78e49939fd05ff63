"""Grading as an ordinary user: the sandbox is as full as it is for root.

Root runs the test, but the grading runs as `nobody`, with the system's own python3 (which
every user can read), fastquiz installed as `pip install .` would install it, and the test
environment's other packages beside it. The grader's user can read the model answers (they
are in the package) and every submission; a worker started by that user must not.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")
NOBODY = 65534

THIEF = '''
import sys
from pathlib import Path

CLASSMATE = __CLASSMATE__


def _stolen():
    """The model answer's double_odds, or a classmate's: both are readable by the grader's user."""
    package = Path(sys.modules["fastquiz"].__file__).parent
    for path in (package / "solutions" / "q04_list_comprehension.py", Path(CLASSMATE) / "q04_list_comprehension.py"):
        try:
            namespace = {}
            exec(path.read_text(), namespace)
            return namespace["double_odds"]
        except Exception:
            pass
    return None


def double_odds(numbers):
    stolen = _stolen()
    return stolen(numbers) if stolen else []
'''


def _same_python() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    version = subprocess.run([SYSTEM_PYTHON, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    return version == str(tuple(sys.version_info[:2]))


pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root, to run grading as another user"),
    pytest.mark.skipif(not _same_python(), reason=f"needs {SYSTEM_PYTHON} of this Python's version, for its packages"),
]


@pytest.fixture(scope="module")
def layout():
    """A world-readable folder: fastquiz installed (not editable), the test environment's packages
    linked beside it, and a folder `nobody` may write into."""
    top = Path(tempfile.mkdtemp(prefix="fastquiz-nonroot-"))
    top.chmod(0o755)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(top / "fastquiz-install"), str(ROOT)], check=True, capture_output=True)
    site = top / "site"
    site.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(("fastquiz", "__editable__", "_fastquiz")):
            subprocess.run(["cp", "-al", str(entry), str(site / entry.name)], check=True)
    (top / "work").mkdir(mode=0o777)
    (top / "work").chmod(0o777)
    yield top
    shutil.rmtree(top, ignore_errors=True)


def grade_as_nobody(layout: Path, *args: str) -> subprocess.CompletedProcess:
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(layout / "work"), "LANG": "C.UTF-8",
                   "PYTHONPATH": f"{layout / 'fastquiz-install'}:{layout / 'site'}"}
    return subprocess.run([str(SYSTEM_PYTHON), "-m", "fastquiz", "grade", *args], env=environment, cwd=layout / "work",
                          user=NOBODY, group=NOBODY, extra_groups=[], capture_output=True, text=True, timeout=600)


def submission(folder: Path, answers: dict[str, str]) -> Path:
    folder.mkdir(mode=0o755)
    for name, text in answers.items():
        (folder / name).write_text(text)
    return folder


def test_grading_as_nobody_is_fully_isolated_and_keeps_secrets(layout):
    model = (ROOT / "solutions" / "q04_list_comprehension.py").read_text()
    alice = submission(layout / "work" / "alice", {"q04_list_comprehension.py": model})
    mallory = submission(layout / "work" / "mallory",
                         {"q04_list_comprehension.py": THIEF.replace("__CLASSMATE__", repr(str(alice)))})
    out = layout / "work" / "out"
    result = grade_as_nobody(layout, str(alice), str(mallory), "--out", str(out), "--questions", "q04",
                             "--isolation", "strict")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("isolation: full"), result.stdout
    scores = {name: json.loads((out / name / "results.json").read_text())["score"] for name in ("alice", "mallory")}
    assert scores == {"alice": 3, "mallory": 0}
    assert out.stat().st_uid == NOBODY  # graded by nobody, indeed


def test_as_nobody_metadata_stays_put_and_threads_are_bounded(layout):
    """The attacks of tests/test_red_team_class.py that an ordinary user's worker could try on its
    own user's files: every metadata call on the submissions, the out folder and its parents
    (which nobody owns, here), and threads until refused (RLIMIT_NPROC binds this user)."""
    from test_red_team_class import METADATA, THREADS

    model = (ROOT / "solutions" / "q04_list_comprehension.py").read_text()
    work = layout / "work"
    alice = submission(work / "alice2", {"q04_list_comprehension.py": model})
    out = work / "out2"
    targets = [str(p) for p in (alice, alice / "q04_list_comprehension.py", work, layout)]
    mallory = submission(work / "mallory2", {"q04_list_comprehension.py": METADATA.replace("__TARGETS__", repr(targets))})
    trudy = submission(work / "trudy2", {"q04_list_comprehension.py": THREADS})
    for path in (alice, mallory, trudy, *alice.iterdir()):
        os.chown(path, NOBODY, NOBODY)
    watched = [*map(Path, targets), mallory, trudy]
    before = {p: (p.stat().st_mode, p.stat().st_uid, p.stat().st_mtime_ns) for p in watched}
    result = grade_as_nobody(layout, str(alice), str(mallory), str(trudy), "--out", str(out), "--questions", "q04",
                             "--isolation", "strict")
    assert result.returncode == 0, result.stderr
    after = {p: (p.stat().st_mode, p.stat().st_uid, p.stat().st_mtime_ns) for p in watched}
    assert {p: (before[p], after[p]) for p in watched if before[p][:2] != after[p][:2]} == {}
    assert {p for p in watched if before[p][2] != after[p][2] and not p.is_dir()} == set()
    assert json.loads((out / "alice2" / "results.json").read_text())["score"] == 3
    trudy_results = (out / "trudy2" / "results.json").read_text()
    made = int(trudy_results.split("made ", 1)[1].split(" threads", 1)[0])
    # RLIMIT_NPROC counts the whole user's threads: the worker may have 32 more than `nobody` had as it
    # started, give or take the threads of nobody's grading processes that end meanwhile; never thousands
    assert made <= 2 * 32, trudy_results
