"""`fastquiz grade --executor dask`: the same grading on a Dask cluster, written the same way, with
research task 2 judged on the data given to --data on every worker."""
from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.errors import ExitCode
from fastquiz.reference import data
from fake_mnist import SMALL_COUNTS, expecting, fake_mnist_archive
from workspaces import ROOT, make_workspace

QUESTIONS = "q04,q09"


def grade(*args: str):
    return CliRunner().invoke(main, ["grade", *args])


@pytest.fixture(scope="module")
def scheduler() -> str:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
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


# --- grade --data on a cluster ------------------------------------------------------------------

MNIST_COUNTS = data.MNIST_COUNTS  # the real MNIST's, as imported
UNTRAINED = "    return nn.Linear(28 * 28, 10).apply(lambda m: nn.init.zeros_(m.weight))\n"  # r2's model, never trained


def expect_counts(counts: dict, site: str | None) -> None:
    """In a process (a Dask worker): take a full MNIST folder of `counts` digits as complete, here and,
    through a sitecustomize on PYTHONPATH (`site`; None: none), in the grading processes it starts."""
    data.MNIST_COUNTS = counts
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != site]
    os.environ["PYTHONPATH"] = os.pathsep.join([*([site] if site else []), *paths])


@pytest.fixture
def small_mnist(tmp_path, monkeypatch) -> Path:
    """A full-MNIST folder of a few digits per class (taken as complete here, by the command's own check)."""
    monkeypatch.setattr(data, "MNIST_COUNTS", SMALL_COUNTS)
    fake_mnist_archive(tmp_path / "mnist_png.tgz")
    return tmp_path / "mnist_png-tree" / "mnist_png"


@pytest.fixture
def workers_expect_small_mnist(scheduler, tmp_path):
    distributed = pytest.importorskip("distributed")
    site = expecting(SMALL_COUNTS, tmp_path / "small-mnist-site")
    with distributed.Client(scheduler, set_as_default=False) as client:
        client.run(expect_counts, SMALL_COUNTS, str(site))
        yield
        client.run(expect_counts, MNIST_COUNTS, None)


@pytest.fixture
def untrained_r2(tmp_path) -> list[str]:
    model = (ROOT / "solutions" / "r2_all_ten_digits.py").read_text().replace("    return model\n", UNTRAINED)
    folders = [make_workspace(tmp_path / name, "exercises", ("r2",)) for name in ("ann", "ben")]
    for folder in folders:
        (folder / "r2_all_ten_digits.py").write_text(model)
    return [str(folder) for folder in folders]


def test_every_worker_judges_r2_on_the_data_given(scheduler, small_mnist, workers_expect_small_mnist, untrained_r2,
                                                  tmp_path):
    result = grade(*untrained_r2, "--questions", "r2", "--out", str(tmp_path / "out"), "--data", str(small_mnist),
                   "--executor", "dask", "--scheduler", scheduler)
    assert result.exit_code == ExitCode.OK, result.output
    for name in ("ann", "ben"):
        output = json.loads((tmp_path / "out" / name / "results.json").read_text())["tests"][0]["output"]
        assert "of 50 digits it never saw, expected at least 93%" in output  # the small MNIST's testing digits
        assert f"judged on the full MNIST in {small_mnist.resolve()}" in output


def test_data_that_a_worker_cannot_read_is_refused_before_any_grading(scheduler, small_mnist, untrained_r2, tmp_path):
    """Here the folder is complete (the command's own check); on the workers, which expect the real MNIST's
    counts, it is not."""
    result = grade(*untrained_r2, "--questions", "r2", "--out", str(tmp_path / "out"), "--data", str(small_mnist),
                   "--executor", "dask", "--scheduler", scheduler)
    assert result.exit_code == ExitCode.DATA
    assert "the Dask worker at tcp://127.0.0.1:" in result.output and "training/0 has 30 PNG files" in result.output
    assert "`fastquiz grade --data` needs that folder at that path on every worker" in result.output
    assert not (tmp_path / "out").exists()
