"""`fastquiz grade --executor dask`: the same grading on a Dask cluster, written the same way."""
from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from workspaces import make_workspace

QUESTIONS = "q04,q09"


def grade(*args: str):
    return CliRunner().invoke(main, ["grade", *args])


@pytest.fixture(scope="module")
def scheduler() -> str:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("class")
    alice = make_workspace(root / "alice", "solutions", ("q04", "q09"))
    bob = make_workspace(root / "bob", "exercises", ("q04",))
    wrong = (alice / "q09_three_by_three.py").read_text().replace("t[-2:, -2:]", "t[:2, :2]")  # the top left
    (bob / "q09_three_by_three.py").write_text(wrong)
    return [str(alice), str(bob)]


def outputs(out: Path) -> dict[str, object]:
    """Everything grading wrote that does not depend on when or how fast it ran."""
    found = {}
    for name in ("alice", "bob"):
        results = json.loads((out / name / "results.json").read_text())
        del results["execution_time"]
        found[name] = results
    found["gradebook"] = (out / "gradebook.csv").read_text()
    found["summary"] = (out / "summary.json").read_text()
    return found


def test_a_dask_cluster_grades_each_submission_as_the_local_processes_do(scheduler, submissions, tmp_path):
    on_dask = grade(*submissions, "--questions", QUESTIONS, "--out", str(tmp_path / "dask"),
                    "--executor", "dask", "--scheduler", scheduler)
    assert on_dask.exit_code == 0, on_dask.output
    local = grade(*submissions, "--questions", QUESTIONS, "--out", str(tmp_path / "local"))
    assert on_dask.stdout.replace(str(tmp_path / "dask"), str(tmp_path / "local")) == local.stdout  # progress: stderr
    assert "alice: 8/8" in on_dask.output and "bob: 2/8" in on_dask.output
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")
    assert (tmp_path / "dask" / "class.html").is_file()


@pytest.fixture
def silent_scheduler():
    """An address that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.parametrize("address", ["closed", "silent"])
def test_a_scheduler_that_does_not_answer_is_one_line_within_seconds(tmp_path, submissions, silent_scheduler, address):
    pytest.importorskip("distributed")
    scheduler = "tcp://127.0.0.1:9" if address == "closed" else silent_scheduler
    started = time.monotonic()
    result = grade(submissions[0], "--questions", "q04", "--out", str(tmp_path / "out"),
                   "--executor", "dask", "--scheduler", scheduler)
    waited = time.monotonic() - started
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: the Dask scheduler at {scheduler} did not answer within 5 s")
    assert len(result.output.strip().splitlines()) == 1
    assert waited < 20, f"{waited:.1f} s: Dask's own connect timeout (30 s) was used"  # 5 s, with room for a busy CI


@pytest.mark.parametrize("args, says", [
    (["--executor", "dask"], "--executor dask needs --scheduler"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler is for --executor dask"),
    (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--jobs", "2"], "--jobs is for the local executor"),
], ids=["dask without a scheduler", "a scheduler without dask", "jobs with dask"])
def test_options_that_do_not_go_together_are_usage_errors(tmp_path, args, says):
    result = grade(str(tmp_path), "--out", str(tmp_path / "out"), *args)
    assert result.exit_code == 2 and says in result.output
