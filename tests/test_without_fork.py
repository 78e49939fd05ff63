"""Where fork is missing (Windows) or unsafe (macOS), tasks and workers are spawned.

These machines run Linux, so the fork-free path is reached as another OS would reach it: a
`sitecustomize` hides `os.fork` and the `resource` module before anything is imported, as on
Windows, and grading must take that path on its own. Through it, in processes of their own:
the whole question bank (model answers, stubs, mutants, alternatives) and a student's
workflow from the command line. (The workflow tests and check-mode attacks also run in this
process with FASTQUIZ_WORKERS=spawn: see the `workers` fixture and test_red_team.py's modes.)
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import bank_runs
from bank_runs import (  # noqa: F401 (run here, with this module's `graded`)
    test_each_correct_alternative_passes,
    test_each_mutant_fails_its_question_and_only_that_one,
    test_every_model_answer_passes_and_every_stub_is_not_started,
)

pytestmark = pytest.mark.slow  # the whole question bank again, and a workflow, through spawned interpreters: minutes
ROOT = Path(__file__).resolve().parents[1]
AS_ON_WINDOWS = '''
import os
import sys

for name in ("fork", "forkpty"):
    if hasattr(os, name):
        delattr(os, name)
sys.modules["resource"] = None  # `import resource` raises ImportError
'''


@pytest.fixture(scope="module")
def as_on_windows(tmp_path_factory) -> dict[str, str]:
    """The environment of a process without os.fork or resource (and of what it starts)."""
    folder = tmp_path_factory.mktemp("as_on_windows")
    (folder / "sitecustomize.py").write_text(AS_ON_WINDOWS)
    return {"PYTHONPATH": str(folder), "FASTQUIZ_WORKERS": ""}


def fastquiz(environment: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastquiz", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **environment}, timeout=600)


def test_a_process_without_fork_spawns_and_says_which_limits_it_lacks(as_on_windows, tmp_path):
    probe = subprocess.run([sys.executable, "-c", "import os; from fastquiz.grader import system, sandbox; "
                            "print(hasattr(os, 'fork'), system.start_method(), system.set_limits(64, 5, 1, 64))"],
                           capture_output=True, text=True, env={**os.environ, **as_on_windows}, cwd=tmp_path)
    assert probe.stdout.split(None, 2) == ["False", "spawn", "('memory', 'CPU time', 'file size')\n"], probe.stderr


def test_a_students_workflow_runs_without_fork(as_on_windows, tmp_path):
    assert fastquiz(as_on_windows, "init", "answers", cwd=tmp_path).returncode == 0
    workspace = tmp_path / "answers"
    module = "q04_list_comprehension.py"
    untouched = fastquiz(as_on_windows, "check", "q04", cwd=workspace)
    assert untouched.returncode == 1 and "not_started" in untouched.stdout
    wrong = (ROOT / "solutions" / module).read_text().replace("2 * n", "3 * n")
    (workspace / module).write_text(wrong)
    failed = fastquiz(as_on_windows, "check", "q04", "q09", cwd=workspace)
    assert failed.returncode == 1 and "failed" in failed.stdout and "double_odds(" in failed.stdout, failed.stdout
    (workspace / module).write_text((ROOT / "solutions" / module).read_text())
    passed = fastquiz(as_on_windows, "check", "q04", cwd=workspace)
    assert passed.returncode == 0 and "passed" in passed.stdout, passed.stdout + passed.stderr
    assert fastquiz(as_on_windows, "hint", "q04", cwd=workspace).returncode == 0
    assert "q04" in fastquiz(as_on_windows, "list", cwd=workspace).stdout
    assert fastquiz(as_on_windows, "solution", "q04", cwd=workspace).returncode == 0
    assert fastquiz(as_on_windows, "reset", "q04", cwd=workspace).returncode == 0
    report = fastquiz(as_on_windows, "report", cwd=workspace)
    assert report.returncode == 0 and (workspace / "report.html").is_file(), report.stderr


@pytest.fixture(scope="module")
def graded(as_on_windows, tmp_path_factory) -> dict:
    return bank_runs.grade_bank(Path(sys.executable), tmp_path_factory.mktemp("bank"), "check", as_on_windows)


def test_the_bank_was_graded_by_spawned_workers(graded):
    assert graded["workers"] == "spawn"
    assert "no memory limit" in graded["isolation"]
