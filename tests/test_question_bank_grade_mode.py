"""The question bank gives the same verdicts in grade mode, wherever the Python environment lives.

test_question_bank.py grades every model answer, stub, mutant and alternative in check mode.
Here the same workspaces are graded in grade mode (a worker origin started afresh with a
clean environment, the sandbox, a budget per submission), in one `grade_many` run, by a copy
of this test environment placed in a 0700 folder under /tmp: where a user of its own (the old
design) could not read it, and where a private /tmp (the old design again) would hide it.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from fastquiz.grader.question import load_questions
from fastquiz.grader.results import NOT_STARTED, PASSED
from test_question_bank import ALTERNATIVES, EXERCISES, MUTANTS, SOLUTIONS, rounds, workspace_with

QUESTIONS = load_questions()
GRADE_IN_GRADE_MODE = """
import json, sys
from fastquiz.grader.runner import Limits, grade_many
folders = json.loads(sys.argv[1])
reports = grade_many(folders, limits=Limits(isolate=True, budget=120))
print(json.dumps({"isolation": reports[0].isolation, "prefix": sys.prefix,
                  "reports": [{q.id: [q.status, q.score, q.max_score, q.message] for q in r.questions} for r in reports]}))
"""


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
    """Every workspace of the bank's tests, graded in grade mode in one run: the model answers, the
    stubs, then each round of mutants and of alternatives."""
    base = tmp_path_factory.mktemp("bank")
    folders = [SOLUTIONS, EXERCISES]
    for kind, found in (("mutants", MUTANTS), ("alternatives", ALTERNATIVES)):
        for number, round_ in enumerate(rounds(found)):
            edits = {m: v.apply((SOLUTIONS / f"{m}.py").read_text()) for m, v in round_.items()}
            folders.append(workspace_with(base / f"{kind}-{number}", edits))
    done = subprocess.run([str(placed_python), "-c", GRADE_IN_GRADE_MODE, json.dumps([str(f) for f in folders])],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def verdicts(report: dict) -> dict[str, str]:
    return {q.module: report[q.id][0] for q in QUESTIONS}


def test_grading_ran_fully_isolated_from_the_placed_environment(graded, placed_python):
    assert graded["prefix"] == str(placed_python.parents[1])
    assert graded["isolation"].startswith("full")


def test_every_model_answer_passes_and_every_stub_is_not_started(graded):
    model, stubs = graded["reports"][:2]
    assert {m: s for m, s in verdicts(model).items() if s != PASSED} == {}
    assert sum(score for _, score, _, _ in model.values()) == sum(q.points for q in QUESTIONS)
    assert set(verdicts(stubs).values()) == {NOT_STARTED}


def test_each_mutant_fails_its_question_and_only_that_one(graded):
    reports = iter(graded["reports"][2:])
    for round_ in rounds(MUTANTS):
        by_module = verdicts(next(reports))
        assert [f"{m}: {v.description}" for m, v in round_.items() if by_module[m] == PASSED] == []
        assert [m for m, status in by_module.items() if m not in round_ and status != PASSED] == []


def test_each_correct_alternative_passes(graded):
    reports = graded["reports"][2 + len(rounds(MUTANTS)):]
    for round_, report in zip(rounds(ALTERNATIVES), reports, strict=True):
        rejected = {f"{m}: {v.description}": report[q.id][3] for q in QUESTIONS for m, v in round_.items()
                    if q.module == m and report[q.id][0] != PASSED}
        assert rejected == {}
