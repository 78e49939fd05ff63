"""The whole question bank graded in one run, in a process of its own: the model answers, the
stubs, then each round of mutants and of alternatives (see test_question_bank.py), for the
tests that grade it another way (grade mode, a placed Python, no fork). Those modules import the
`test_` functions below, which pytest runs there with that module's `graded` fixture."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from fastquiz.grader.question import load_questions
from fastquiz.grader.results import NOT_STARTED, PASSED
from test_question_bank import ALTERNATIVES, EXERCISES, MUTANTS, SOLUTIONS, rounds, workspace_with

QUESTIONS = load_questions()
GRADE_ALL = """
import json, sys
from fastquiz.grader.runner import Limits, grade_many
from fastquiz.grader.system import start_method
folders, isolate = json.loads(sys.argv[1]), sys.argv[2] == "grade"
reports = grade_many(folders, limits=Limits(isolate=isolate, budget=120 if isolate else None))
print(json.dumps({"isolation": reports[0].isolation, "prefix": sys.prefix, "workers": start_method(),
                  "reports": [{q.id: [q.status, q.score, q.max_score, q.message] for q in r.questions} for r in reports]}))
"""


def grade_bank(python: Path, base: Path, mode: str, environment: dict[str, str] | None = None) -> dict:
    """Every workspace of the bank's tests, graded by `python` in `mode` ("check" or "grade")."""
    folders = [SOLUTIONS, EXERCISES]
    for kind, found in (("mutants", MUTANTS), ("alternatives", ALTERNATIVES)):
        for number, round_ in enumerate(rounds(found)):
            edits = {m: v.apply((SOLUTIONS / f"{m}.py").read_text()) for m, v in round_.items()}
            folders.append(workspace_with(base / f"{kind}-{number}", edits))
    done = subprocess.run([str(python), "-c", GRADE_ALL, json.dumps([str(f) for f in folders]), mode],
                          capture_output=True, text=True, timeout=2400, env={**os.environ, **(environment or {})})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _verdicts(report: dict) -> dict[str, str]:
    return {q.module: report[q.id][0] for q in QUESTIONS}


def test_every_model_answer_passes_and_every_stub_is_not_started(graded: dict) -> None:
    model, stubs = graded["reports"][:2]
    assert {m: s for m, s in _verdicts(model).items() if s != PASSED} == {}
    assert sum(score for _, score, _, _ in model.values()) == sum(q.points for q in QUESTIONS)
    assert set(_verdicts(stubs).values()) == {NOT_STARTED}


def test_each_mutant_fails_its_question_and_only_that_one(graded: dict) -> None:
    reports = iter(graded["reports"][2:])
    for round_ in rounds(MUTANTS):
        by_module = _verdicts(next(reports))
        assert [f"{m}: {v.description}" for m, v in round_.items() if by_module[m] == PASSED] == []
        assert [m for m, status in by_module.items() if m not in round_ and status != PASSED] == []


def test_each_correct_alternative_passes(graded: dict) -> None:
    reports = graded["reports"][2 + len(rounds(MUTANTS)):]
    for round_, report in zip(rounds(ALTERNATIVES), reports, strict=True):
        rejected = {f"{m}: {v.description}": report[q.id][3] for q in QUESTIONS for m, v in round_.items()
                    if q.module == m and report[q.id][0] != PASSED}
        assert rejected == {}
