"""One engine, one verdict: every part of the model answers, the stubs and every variant (mutant and
alternative, round by round as tests/test_question_bank.py grades them) gets the same status and the
same points from `python -m pytest --fastquiz`, from `fastquiz check`'s grading and from `fastquiz
grade`'s (isolation on). Each round is graded on the questions it changes; the model answers and the
stubs on all of them."""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fastquiz.grader.protocol import Limits
from fastquiz.grader.runner import grade_many
from fastquiz.workspace import solutions_dir
from test_question_bank import ALTERNATIVES, EXERCISES, MUTANTS, QUESTIONS, SOLUTIONS, rounds, workspace_with

pytestmark = pytest.mark.slow
BY_MODULE, BY_ID = {q.module: q for q in QUESTIONS}, {q.id: q for q in QUESTIONS}
SUMMARY_LINE = re.compile(r"^\s+([qr]\d+)\s.*\s(\d+)/(\d+)$")
JUNIT_STATUS = re.compile(r'^(?:failed on setup with ")?(\w+):')  # a part's failure message starts with its status


def cases(base: Path) -> list[tuple[Path, list[str]]]:
    """(workspace, the question ids graded there): the model answers, the stubs, then each round."""
    found = [(SOLUTIONS, [q.id for q in QUESTIONS]), (EXERCISES, [q.id for q in QUESTIONS])]
    for kind, variants in (("mutants", MUTANTS), ("alternatives", ALTERNATIVES)):
        for number, round_ in enumerate(rounds(variants)):
            edits = {m: v.apply((SOLUTIONS / f"{m}.py").read_text()) for m, v in round_.items()}
            found.append((workspace_with(base / f"{kind}-{number}", edits), [BY_MODULE[m].id for m in round_]))
    return found


Verdicts = dict[tuple[str, str], tuple[str, int]]  # (question id, part) -> (status, points)


def through_the_grader(workspace: Path, ids: list[str], limits: Limits) -> Verdicts:
    (report,) = grade_many([workspace], ids, jobs=2, limits=limits)
    return {(q.id, p.name): (str(p.status), p.score) for q in report.questions for p in q.parts}


def through_pytest(workspace: Path, ids: list[str], junit: Path) -> Verdicts:
    """Each part's status from its JUnit test case (a failure's message starts with its status), and
    each question's points from the terminal summary, shared out to its passed parts."""
    done = subprocess.run([sys.executable, "-m", "pytest", "--fastquiz", str(workspace), "-k", " or ".join(ids),
                           "-p", "no:cacheprovider", f"--junitxml={junit}", "-q"],
                          capture_output=True, text=True, timeout=900, cwd=junit.parent)
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    found: Verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        failure = next((element for kind in ("failure", "error") if (element := case.find(kind)) is not None), None)
        status = JUNIT_STATUS.match(failure.get("message")).group(1) if failure is not None else \
            "not_started" if case.find("skipped") is not None else "passed"
        found[(case.get("classname").rsplit(".", 1)[-1], case.get("name"))] = (status, 0)
    points = {m.group(1): int(m.group(2)) for line in done.stdout.splitlines() if (m := SUMMARY_LINE.match(line))}
    for question, earned in points.items():
        parts = BY_ID[question].parts
        for part in parts:
            status, _ = found[(question, part.name)]
            found[(question, part.name)] = (status, part.points if status == "passed" else 0)
        assert sum(found[(question, p.name)][1] for p in parts) == earned, (question, earned)
    return found


def test_pytest_check_and_grade_give_every_part_the_same_verdict_and_points(tmp_path):
    grade_mode = Limits(isolate=True, hide=(str(solutions_dir()),))
    differences = []
    for workspace, ids in cases(tmp_path):
        checked = through_the_grader(workspace, ids, Limits())
        graded = through_the_grader(workspace, ids, grade_mode)
        run = through_pytest(workspace, ids, tmp_path / f"{workspace.parent.name}-{workspace.name}.xml")
        assert set(checked) == set(graded) == set(run), workspace
        differences += [(workspace.parent.name, key, checked[key], graded[key], run[key]) for key in checked
                        if not checked[key] == graded[key] == run[key]]
    assert differences == []
