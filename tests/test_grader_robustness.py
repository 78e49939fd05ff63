"""A broken answer fails its own question, with a useful one-line reason, and nothing else."""
from __future__ import annotations

from pathlib import Path

import pytest

from fastquiz.grader.results import ERROR, FAILED, NOT_STARTED, PASSED, TIMEOUT
from fastquiz.grader.controller import WALL_FACTOR
from fastquiz.grader.protocol import Limits
from fastquiz.grader.runner import grade, grade_many

ROOT = Path(__file__).resolve().parents[1]
MODULE = "q04_list_comprehension"
SOLUTION = (ROOT / "solutions" / f"{MODULE}.py").read_text()
STUB = (ROOT / "exercises" / f"{MODULE}.py").read_text()


def grade_answer(tmp_path: Path, source: str, limits: Limits | None = None):
    (tmp_path / f"{MODULE}.py").write_text(source)
    return grade(tmp_path, ["q04"], limits=limits).questions[0]


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


def test_an_objects_handle_says_which_classes_it_derives_from():
    """A check learns that a worker-side object is a torch module from its handle; whether it is an
    instance of a class its type does not derive from, it asks the worker (which alone can tell)."""
    from fastquiz.grader import catalog
    from in_process import loaded

    (info,) = catalog.questions([MODULE])
    with loaded(MODULE, SOLUTION + "\nimport torch\nMODEL = torch.nn.Linear(2, 1)\n", info.question) as (current, loop):
        student, sent = current.student, []
        assert student is not None
        model = student.value("MODEL")
        _note_requests(loop, sent)
        assert student.isinstance(model, "torch.nn.Module") and student.isinstance(model, "torch.nn.Linear")
        assert sent == []
        assert not student.isinstance(model, "torch.nn.ReLU") and len(sent) == 1


def test_a_name_bound_to_a_value_is_an_error_that_says_what_it_is(tmp_path):
    result = grade_answer(tmp_path, SOLUTION.replace("def double_odds", "def _double_odds") + "\ndouble_odds = 3\n")
    assert result.status == ERROR and "double_odds" in result.message and "should be a function, not int" in result.message


def test_a_function_past_those_an_answers_load_brings_back_is_still_found(tmp_path):
    """An answer's load hands back at most LOADED_FUNCTIONS of its functions: the checks ask for any other."""
    from fastquiz.grader.worker import LOADED_FUNCTIONS

    helpers = "".join(f"def helper_{i}():\n    return {i}\n\n\n" for i in range(LOADED_FUNCTIONS + 5))
    source = SOLUTION.replace("def double_odds", helpers + "def double_odds", 1)
    assert source.index("def double_odds") > source.index(f"def helper_{LOADED_FUNCTIONS + 4}")
    result = grade_answer(tmp_path, source)
    assert (result.status, result.score) == (PASSED, 3), result.message


def test_an_answers_functions_come_back_with_its_load():
    """A check asks the worker nothing to find a function the answer's load brought back; for a name
    bound to anything else, it asks (and says what the name holds instead)."""
    from fastquiz.grader import catalog
    from fastquiz.grader.answers import StudentError
    from in_process import loaded

    (info,) = catalog.questions([MODULE])
    with loaded(MODULE, SOLUTION + "\nCOUNT = 3\n", info.question) as (current, loop):
        student, sent = current.student, []
        assert student is not None
        _note_requests(loop, sent)
        assert student.function("double_odds")([1, 2, 3]) == [2, 6] and len(sent) == 1  # the call alone
        with pytest.raises(StudentError, match="COUNT in .* should be a function, not int"):
            student.function("COUNT")
        assert len(sent) == 2


def _note_requests(loop, sent: list) -> None:
    """Note each request the task sends the loopback worker `loop` in `sent`, and send it on."""
    send = loop.channel.send
    loop.channel.send = lambda frame, *rest: (sent.append(frame), send(frame, *rest))[1]


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


SHORT = Limits(time_limits=(("q04", 1.0),))  # q04's answer may use 1 s of CPU time


def test_an_endless_loop_times_out_when_it_has_used_its_cpu_time(tmp_path):
    result = grade_answer(tmp_path, SOLUTION.replace("    return [2 * n", "    while True:\n        pass\n    return [2 * n"),
                          SHORT)
    assert result.status == TIMEOUT and "1 s of CPU time" in result.message
    assert result.seconds < WALL_FACTOR * 1.0 + 2  # its CPU limit, or at worst its wall-clock backstop
    assert result.cpu >= 1.0  # what it used before it was stopped, though the request it ran out in never replied


def test_an_answer_that_only_waits_times_out_at_three_times_its_limit(tmp_path):
    result = grade_answer(tmp_path, SOLUTION.replace("    return [2 * n", "    import time; time.sleep(60)\n    return [2 * n"),
                          SHORT)
    assert result.status == TIMEOUT and "took longer than 3 s in all" in result.message
    assert result.seconds < WALL_FACTOR * 1.0 + 2


def test_a_timeout_names_the_part_that_ran_out_and_the_parts_left_unrun(tmp_path):
    result = grade_answer(tmp_path, SOLUTION.replace("    return [2 * n", "    while True:\n        pass\n    return [2 * n"),
                          SHORT)
    first, *rest = [p for p in result.parts if p.status == TIMEOUT]
    assert first.message == "used more than its 1 s of CPU time"
    assert result.message == f"{first.name.removeprefix('test_').replace('_', ' ')}: {first.message}"
    words = first.name.removeprefix("test_").replace("_", " ")
    assert all(p.message == f"not run: {words} used up the question's limit" for p in rest)


def test_an_answer_too_deeply_nested_for_python_is_its_own_questions_error(tmp_path):
    nested = "_X = " + " + ".join(["1"] * 1000) + "\n_Y = " + "(" * 300 + "1" + ")" * 300 + "\n"
    (tmp_path / f"{MODULE}.py").write_text(nested + SOLUTION)
    (tmp_path / "q09_three_by_three.py").write_text((ROOT / "solutions" / "q09_three_by_three.py").read_text())
    q04, q09 = grade(tmp_path, ["q04", "q09"]).questions
    assert q04.status == ERROR and q04.score == 0, q04
    assert q09.status == PASSED


def test_an_answer_file_past_the_size_of_code_is_refused_with_its_size(tmp_path):
    result = grade_answer(tmp_path, SOLUTION + "#" + "x" * (6 << 20) + "\n")
    assert result.status == ERROR and "is 6,144 KB" in result.message and "at most 128 KB" in result.message


@pytest.mark.parametrize("returned, limit", [
    ("[None] * 2_000_000", "Python values; the limit is"),
    ("'x' * (20 << 20)", "of numbers and text; the limit is 16 MB"),
    ("torch.zeros(80_000_000)", "the answer returned more than 256 MB; the limit is 256 MB"),
])
def test_a_reply_too_large_to_take_in_fails_the_part_with_the_limit(tmp_path, returned, limit):
    source = SOLUTION.replace("    return [2 * n", f"    import torch\n    return {returned}\n    return [2 * n")
    result = grade_answer(tmp_path, source)
    assert result.status == ERROR and limit in result.message, result.message
