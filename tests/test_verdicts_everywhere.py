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
from concurrent.futures import ThreadPoolExecutor
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


def through_the_grader(found: list[tuple[Path, list[str]]], limits: Limits) -> list[Verdicts]:
    """Every workspace graded in one run (every question: a round changes most of them), each one's
    verdicts on its own questions."""
    reports = grade_many([workspace for workspace, _ in found], jobs=2, limits=limits)
    return [{(q.id, p.name): (str(p.status), p.score) for q in report.questions if q.id in ids for p in q.parts}
            for report, (_, ids) in zip(reports, found)]


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
    # -k selects by substring: a part of another question may match too (q28's test_linear1_... has "r1")
    found = {key: value for key, value in found.items() if key[0] in ids}
    points = {m.group(1): int(m.group(2)) for line in done.stdout.splitlines()
              if (m := SUMMARY_LINE.match(line)) and m.group(1) in ids}
    for question, earned in points.items():
        parts = BY_ID[question].parts
        missing = [part.name for part in parts if (question, part.name) not in found]
        assert not missing, f"{question}'s {missing} not in {junit.name}:\n{done.stdout[-6000:]}"
        for part in parts:
            status, _ = found[(question, part.name)]
            found[(question, part.name)] = (status, part.points if status == "passed" else 0)
        assert sum(found[(question, p.name)][1] for p in parts) == earned, (question, earned)
    return found


def test_pytest_check_and_grade_give_every_part_the_same_verdict_and_points(tmp_path):
    found = cases(tmp_path)
    checked_all = through_the_grader(found, Limits())
    graded_all = through_the_grader(found, Limits(isolate=True, hide=(str(solutions_dir()),)))
    with ThreadPoolExecutor(2) as pool:  # two sessions at once: each waits on its workers part of the time
        run_all = list(pool.map(lambda case: through_pytest(*case, tmp_path / f"{case[0].parent.name}-{case[0].name}.xml"),
                                found))
    differences = []
    for (workspace, _), checked, graded, run in zip(found, checked_all, graded_all, run_all):
        assert set(checked) == set(graded) == set(run), workspace
        differences += [(workspace.parent.name, key, checked[key], graded[key], run[key]) for key in checked
                        if not checked[key] == graded[key] == run[key]]
    assert differences == []
