"""The question bank gives the same verdicts in grade mode, wherever the Python environment lives.

test_question_bank.py grades every model answer, stub, mutant and alternative in check mode.
Here the same workspaces are graded in grade mode (a worker origin started afresh with a
clean environment, the sandbox, a budget per submission), in one `grade_many` run, by a copy
of this test environment placed in a 0700 folder under /tmp: where a user of its own (the old
design) could not read it, and where a private /tmp (the old design again) would hide it.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import bank_runs
from bank_runs import (  # noqa: F401 (run here, with this module's `graded`)
    test_each_correct_alternative_passes,
    test_each_mutant_fails_its_question_and_only_that_one,
    test_every_model_answer_passes_and_every_stub_is_not_started,
)

pytestmark = pytest.mark.slow  # the whole question bank again, in grade mode, from a copy of the environment: minutes


@pytest.fixture(scope="module")
def placed_python() -> Path:
    """This test environment, copied (hard links where the file system allows) into a 0700 folder under /tmp."""
    private = Path(tempfile.mkdtemp(prefix="fastquiz-private-", dir="/tmp"))  # mode 0700
    venv = private / "venv"
    copied = subprocess.run(["cp", "-al", sys.prefix, str(venv)], capture_output=True)
    if copied.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        shutil.copytree(sys.prefix, venv, symlinks=True)
    yield venv / "bin" / "python"
    shutil.rmtree(private, ignore_errors=True)


@pytest.fixture(scope="module")
def graded(placed_python: Path, tmp_path_factory) -> dict:
    return bank_runs.grade_bank(placed_python, tmp_path_factory.mktemp("bank"), "grade")


def test_grading_ran_fully_isolated_from_the_placed_environment(graded, placed_python):
    assert graded["prefix"] == str(placed_python.parents[1])
    assert graded["isolation"].startswith("full")
