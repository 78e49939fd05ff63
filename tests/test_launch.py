"""A command that grades starts its first task before its own imports (grader/launch.py): the run
takes that task where its mode and environment match the run's, and ends it otherwise; a
command that stops before grading leaves no process behind."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fastquiz.grader import launch, runner

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="tasks start early on POSIX only")


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
    """`check --help` and a check of a missing workspace end at once, and take their early task with them."""
    for args in (["check", "--help"], ["check", "--workspace", str(tmp_path / "missing")]):
        done = subprocess.run([sys.executable, "-m", "fastquiz", *args], capture_output=True, text=True, cwd=tmp_path,
                              timeout=120)
        assert "Traceback" not in done.stderr
        left = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout
        assert "task_main" not in left, left
