"""A broken answer fails its own question, with a useful one-line reason, and nothing else."""
from __future__ import annotations

import importlib
import time
from pathlib import Path

import pytest

from fastquiz.grader.question import question_of
from fastquiz.grader.results import ERROR, FAILED, NOT_STARTED, PASSED, TIMEOUT
from fastquiz.grader.runner import grade, grade_many

ROOT = Path(__file__).resolve().parents[1]
MODULE = "q04_list_comprehension"
SOLUTION = (ROOT / "solutions" / f"{MODULE}.py").read_text()
STUB = (ROOT / "exercises" / f"{MODULE}.py").read_text()


def grade_answer(tmp_path: Path, source: str):
    (tmp_path / f"{MODULE}.py").write_text(source)
    return grade(tmp_path, ["q04"]).questions[0]


def test_the_model_answer_passes(tmp_path):
    result = grade_answer(tmp_path, SOLUTION)
    assert (result.status, result.score, result.max_score) == (PASSED, 3, 3)


def test_an_untouched_stub_is_not_started(tmp_path):
    assert grade_answer(tmp_path, STUB).status == NOT_STARTED


def test_a_stub_with_only_the_explanation_filled_in_is_still_not_started(tmp_path):
    source = STUB.replace('EXPLAIN = """\n"""', 'EXPLAIN = """\nIt builds a list in one line.\n"""')
    assert source != STUB
    assert grade_answer(tmp_path, source).status == NOT_STARTED


def test_a_syntax_error_is_an_error_with_file_and_line(tmp_path):
    result = grade_answer(tmp_path, SOLUTION.replace("return [", "return [[", 1))
    assert result.status == ERROR
    assert result.message.startswith("SyntaxError") and f"{MODULE}.py:" in result.message


def test_an_exception_in_the_students_function_names_its_line(tmp_path):
    source = SOLUTION.replace("    return [2 * n", "    1 / 0\n    return [2 * n")
    result = grade_answer(tmp_path, source)
    line = source.splitlines().index("    1 / 0") + 1
    assert result.status == ERROR
    assert result.message.startswith("ZeroDivisionError") and f"{MODULE}.py:{line}" in result.message


def test_a_file_that_is_not_utf8_is_an_error_that_says_so(tmp_path):
    (tmp_path / f"{MODULE}.py").write_bytes(SOLUTION.encode() + "# café\n".encode("latin-1"))
    result = grade(tmp_path, ["q04"]).questions[0]
    assert result.status == ERROR and "not UTF-8" in result.message


def test_a_missing_function_is_an_error_that_names_it(tmp_path):
    result = grade_answer(tmp_path, SOLUTION.replace("def double_odds", "def double_the_odds"))
    assert result.status == ERROR and "double_odds" in result.message


def test_a_wrong_answer_fails_with_the_checks_message(tmp_path):
    result = grade_answer(tmp_path, SOLUTION.replace("2 * n", "3 * n"))
    assert result.status == FAILED and "double_odds(" in result.message
    assert result.score == 1  # the comprehension part still earns its point


def test_a_process_that_grades_the_same_question_twice_judges_each_answer_afresh(tmp_path):
    """One task process (jobs=1) grades q04 of both workspaces: what failed in the first can't stick to the second."""
    wrong, right = tmp_path / "wrong", tmp_path / "right"
    for folder, source in ((wrong, SOLUTION.replace("2 * n", "n")), (right, SOLUTION)):
        folder.mkdir()
        (folder / f"{MODULE}.py").write_text(source)
    first, second = (report.questions[0] for report in grade_many([wrong, right], ["q04"], jobs=1))
    assert (first.status, second.status) == (FAILED, PASSED)
    assert second.score == second.max_score


def test_sys_exit_at_import_is_an_error_of_this_question_only(tmp_path):
    result = grade_answer(tmp_path, "import sys\nsys.exit(0)\n" + SOLUTION)
    assert result.status == ERROR and "SystemExit" in result.message


def test_os_exit_ends_only_the_students_own_process(tmp_path):
    result = grade_answer(tmp_path, SOLUTION.replace("    return [2 * n", "    import os; os._exit(0)\n    return [2 * n"))
    assert result.status == ERROR and "ended its own process" in result.message
    assert result.score <= 1


@pytest.fixture
def short_time_limit(monkeypatch):
    question = question_of(importlib.import_module(f"fastquiz.grader.checks.{MODULE}"))  # the grader's own
    monkeypatch.setattr(question, "time_limit", 1.0)


def test_an_endless_loop_times_out_at_the_questions_limit(tmp_path, short_time_limit):
    started = time.monotonic()
    result = grade_answer(tmp_path, SOLUTION.replace("    return [2 * n", "    while True:\n        pass\n    return [2 * n"))
    assert result.status == TIMEOUT and "1 s limit" in result.message
    assert time.monotonic() - started < 8
