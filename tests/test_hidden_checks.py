"""An instructor's hidden checks: extra parts and answer keys that students never get."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader.runner import grade
from fastquiz.grader.protocol import Limits

ROOT = Path(__file__).resolve().parents[1]
MODULE = "q04_list_comprehension"
HIDDEN_CHECK = '''
import json
from pathlib import Path

from fastquiz.grader.question import HiddenChecks

CHECKS = HiddenChecks()
KEY = json.loads((Path(__file__).parent / "key.json").read_text())


@CHECKS.part(points=2)
def test_agrees_with_the_answer_key(student):
    got = student.function("double_odds")(KEY["input"])
    assert got == KEY["output"], "double_odds disagrees with the answer key"
'''


@pytest.fixture
def hidden(tmp_path) -> Path:
    folder = tmp_path / "hidden"
    folder.mkdir()
    (folder / f"{MODULE}.py").write_text(HIDDEN_CHECK)
    (folder / "key.json").write_text(json.dumps({"input": [1, 2, 3, -5], "output": [2, 6, -10]}))
    return folder


def answers(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "answers"
    folder.mkdir(exist_ok=True)
    (folder / f"{MODULE}.py").write_text(source)
    return folder


def test_hidden_parts_add_to_the_question_and_are_marked(tmp_path, hidden):
    solution = (ROOT / "solutions" / f"{MODULE}.py").read_text()
    (q04,) = grade(answers(tmp_path, solution), ["q04"], hidden=hidden).questions
    assert (q04.score, q04.max_score) == (5, 5)
    assert [p.hidden for p in q04.parts] == [False, False, True]


def test_an_answer_that_passes_in_public_can_fail_the_hidden_part(tmp_path, hidden):
    solution = (ROOT / "solutions" / f"{MODULE}.py").read_text()
    wrong_on_the_key = solution.replace("if n % 2 == 1]", "if n % 2 == 1] if numbers != [1, 2, 3, -5] else []")
    (q04,) = grade(answers(tmp_path, wrong_on_the_key), ["q04"]).questions
    assert q04.score == q04.max_score == 3  # what a student's own `fastquiz check` sees
    (q04,) = grade(answers(tmp_path, wrong_on_the_key), ["q04"], hidden=hidden).questions
    assert (q04.score, q04.max_score) == (3, 5) and q04.parts[-1].status == "failed"


@pytest.mark.skipif(os.geteuid() != 0, reason="grade mode hides paths with a mount namespace, which needs root")
def test_student_code_cannot_read_the_answer_key_in_grade_mode(tmp_path, hidden):
    thief = (
        "from pathlib import Path\n"
        "import json\n"
        f"KEY = Path({str(hidden / 'key.json')!r})\n"
        "def double_odds(numbers):\n"
        "    key = json.loads(KEY.read_text())\n"
        "    return key['output'] if numbers == key['input'] else [2 * n for n in numbers if n % 2 == 1]\n"
    )
    limits = Limits(isolate=True, hide=(str(hidden),))
    (q04,) = grade(answers(tmp_path, thief), ["q04"], limits=limits, hidden=hidden).questions
    behaviour, _, answer_key = q04.parts  # the middle part only reads the source: a comprehension is there
    assert behaviour.status == answer_key.status == "error" and "key.json" in answer_key.message


def test_grade_reports_hidden_checks_to_gradescope_after_publishing(tmp_path, hidden):
    workspace = tmp_path / "alice"
    shutil.copytree(ROOT / "solutions", workspace)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["grade", str(workspace), "--out", str(out), "--questions", "q04",
                                       "--hidden", str(hidden)])
    assert result.exit_code == 0, result.output
    tests = json.loads((out / "alice" / "results.json").read_text())["tests"]
    assert [(t["score"], t["max_score"], t["visibility"]) for t in tests] == [(3, 3, "visible"), (2, 2, "after_published")]


def test_check_says_that_it_shows_the_public_checks_only(tmp_path):
    workspace = answers(tmp_path, (ROOT / "solutions" / f"{MODULE}.py").read_text())
    result = CliRunner().invoke(main, ["check", "q04", "--workspace", str(workspace)])
    assert "public checks" in result.output and "hidden checks" in result.output
