"""The kernel's helper process: it answers checks, an interrupt stops the check in progress but not
the helper, and a helper that died is started again with the next request."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.jupyter.client import Helper, HelperError
from workspaces import ROOT

MODULE = "q04_list_comprehension"


@pytest.fixture
def workspace(tmp_path) -> Path:
    folder = tmp_path / "answers"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    (folder / f"{MODULE}.py").write_text((ROOT / "solutions" / f"{MODULE}.py").read_text())
    return folder


@pytest.fixture
def helper():
    helper = Helper()
    yield helper
    helper.close()


def check(helper: Helper, workspace: Path) -> str:
    return helper.request("check", workspace=str(workspace), question="q04")["result"]["status"]


def test_an_interrupt_stops_the_check_in_progress_and_the_helper_stays_warm(helper, workspace):
    assert check(helper, workspace) == "passed"
    pid = helper._process.pid
    (workspace / f"{MODULE}.py").write_text("def double_odds(numbers):\n    while True:\n        pass\n")

    def interrupt(*_):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            check(helper, workspace)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 10  # well before the question's own time limit ends the loop
    (workspace / f"{MODULE}.py").write_text((ROOT / "solutions" / f"{MODULE}.py").read_text())
    assert check(helper, workspace) == "passed" and helper._process.pid == pid


def test_a_helper_that_died_is_named_in_one_line_then_started_again(helper, workspace):
    assert check(helper, workspace) == "passed"
    os.killpg(helper._process.pid, signal.SIGKILL)
    with pytest.raises(HelperError, match=r"^fastquiz's checker ended \(exit code -9\).*run the cell again"):
        check(helper, workspace)
    assert check(helper, workspace) == "passed"


def test_a_closed_helper_leaves_no_grading_folder_behind(workspace, tmp_path, monkeypatch):
    """The kernel closes its helper as it shuts down: the helper removes its warm engine's folder
    (answers copied for grading, the checks' settings) before it is stopped for good."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))  # the helper's, and what it starts
    helper = Helper()
    try:
        assert check(helper, workspace) == "passed"
        assert [p.name.rsplit("-", 1)[0] for p in temporary.glob("fastquiz-*")] == ["fastquiz-run"]
    finally:
        helper.close()
    assert list(temporary.glob("fastquiz-*")) == []
