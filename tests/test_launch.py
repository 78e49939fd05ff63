"""A command that grades starts its first task before its own imports (grader/launch.py): the run
takes that task where its mode and environment match the run's, and ends it otherwise; a
command that stops before grading leaves no process behind."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fastquiz.grader import launch, runner, sandbox
from fastquiz.grader.protocol import Limits

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(),
                                reason="tasks start early on POSIX; these tests read /proc (Linux)")


@pytest.fixture(autouse=True)
def no_early_task_left():
    yield
    launch.end_early()


def _early_task() -> launch.TaskProcess:
    (_, _, _, task), = launch._early
    return task


def test_a_check_takes_the_task_its_command_started_early():
    launch.start_early(["fastquiz", "check", "q05"])
    early = _early_task()
    report = runner.grade(ROOT / "solutions", ["q05"])
    assert report.score == report.max_score > 0
    assert not launch._early
    assert any(task.child is early for task in runner._firsts.values())


@pytest.mark.parametrize("command, limits", [("check", Limits()), ("grade", Limits(isolate=True))])
def test_workers_come_from_a_process_that_never_imported_pytest(tmp_path, command, limits):
    """The first task forks the workers' origin as soon as it has imported torch, before pytest and
    hypothesis (`launch.task_main`), so that the origin imports the run's slow libraries while the
    task imports the rest and collects the checks: no worker carries the task's test libraries, in
    check mode and in grade mode (isolation on, the first task started clean). An answer that sees
    them in its process gives a wrong rank, and the check fails."""
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "solutions", workspace)
    answer = workspace / "q05_rank3_tensor.py"
    answer.write_text(answer.read_text() + (
        "\n\nimport sys as _sys\n_model_rank = rank\n\n\n"
        "def rank(t):\n"
        "    inherited = [m for m in ('pytest', '_pytest', 'hypothesis') if m in _sys.modules]\n"
        "    return _model_rank(t) + 1000 * len(inherited)\n"))
    launch.start_early(["fastquiz", command])
    early = _early_task()
    report = runner.grade(workspace, ["q05"], limits=limits)
    assert report.score == report.max_score > 0, report.questions[0].parts
    assert any(task.child is early for task in runner._firsts.values())  # the command's own first task


@pytest.mark.parametrize("command, clean", [("check", False), ("report", False), ("grade", True)])
def test_each_grading_command_starts_a_task_in_its_own_mode(command, clean):
    launch.start_early(["fastquiz", command])
    task = _early_task()
    taken = launch.take_early(clean)
    assert taken is not None and taken[1] is task and task.alive()
    taken[0].close()
    task.end()


def test_an_early_task_of_the_other_mode_is_ended_not_taken():
    launch.start_early(["fastquiz", "grade"])  # grade mode: a clean environment
    task = _early_task()
    assert launch.take_early(clean=False) is None
    assert not task.alive() and not launch._early


def test_an_early_task_is_not_taken_once_the_environment_changed(monkeypatch):
    launch.start_early(["fastquiz", "check"])
    task = _early_task()
    monkeypatch.setenv("FASTQUIZ_TEST_CHANGED", "1")
    assert launch.take_early(clean=False) is None
    assert not task.alive()


@pytest.mark.parametrize("argv", [["fastquiz"], ["fastquiz", "hint", "q05"], ["fastquiz", "init"], ["fastquiz", "--help"],
                                  ["fastquiz", "grade", "a", "--out", "b", "--executor", "dask", "--scheduler", "tcp://c:8786"],
                                  ["fastquiz", "grade", "a", "--executor=dask"]])
def test_commands_that_do_not_grade_here_start_nothing(argv):
    launch.start_early(argv)
    assert not launch._early


def test_a_command_that_stops_before_grading_leaves_no_task_behind(tmp_path):
    """`check --help` and a check of a missing workspace end at once, and take their early task with
    them. (Their output goes to a file: a caller reading it through a pipe would wait for any process
    still holding that pipe, so a task left behind would never be seen here.)"""
    marker = f"{tmp_path.name}-{os.getpid()}"  # in the environment of whatever the command started
    for args in (["check", "--help"], ["check", "--workspace", str(tmp_path / "missing")]):
        output = tmp_path / "output.txt"
        with output.open("w") as out:
            subprocess.run([sys.executable, "-m", "fastquiz", *args], stdout=out, stderr=subprocess.STDOUT,
                           cwd=tmp_path, env={**os.environ, "FASTQUIZ_TEST_MARKER": marker}, timeout=120)
        assert "Traceback" not in output.read_text()
        assert not _marked(marker), f"fastquiz {' '.join(args)} left a process behind"


def test_an_early_task_of_grade_mode_starts_with_the_clean_environment(monkeypatch):
    """Grade mode's guarantee holds for a task started early: the grader's variables (tokens, keys)
    never reach it, nor the workers it forks."""
    monkeypatch.setenv("FASTQUIZ_TEST_SECRET", "a token")
    launch.start_early(["fastquiz", "grade"])
    environment = _environment(_early_task().process.pid)
    assert "FASTQUIZ_TEST_SECRET" not in environment
    assert environment.keys() <= sandbox.clean_environment(dict(os.environ)).keys()
    launch.end_early()
    launch.start_early(["fastquiz", "check"])  # check mode keeps the user's environment
    assert "FASTQUIZ_TEST_SECRET" in _environment(_early_task().process.pid)


def _environment(pid: int) -> dict[str, str]:
    """The variables a process started with."""
    entries = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode(errors="replace").split("=", 1) for entry in entries if b"=" in entry)


def _marked(marker: str) -> list[int]:
    """The processes whose environment holds FASTQUIZ_TEST_MARKER=marker."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if _environment(int(environ.parent.name)).get("FASTQUIZ_TEST_MARKER") == marker:
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found
