"""`python -m pytest --fastquiz WORKSPACE`: the bank run by pytest, as users run pytest (pytester,
in processes of their own), and the plugin inert everywhere else."""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workspaces import make_workspace

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    """q04 and q05 answered (q05 wrongly), q06 left as the stub."""
    folder = make_workspace(tmp_path / "answers", ids=("q04", "q05"))
    shutil.copy(ROOT / "exercises" / "q06_rank_and_shape.py", folder)
    wrong = (folder / "q05_rank3_tensor.py").read_text().replace("torch.stack(", "torch.cat(")
    (folder / "q05_rank3_tensor.py").write_text(wrong)
    return folder


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(*args, timeout=600)


def test_without_the_option_the_plugin_does_nothing_and_imports_nothing(pytester):
    pytester.makepyfile(test_plain="""
        import sys

        def test_nothing_of_fastquiz_was_loaded():
            assert "torch" not in sys.modules
            plugin = {"fastquiz.grader.inline", "fastquiz.grader.plugin"}  # the entry point, and the plugin it names
            assert not [m for m in sys.modules if m.startswith("fastquiz.grader.") and m not in plugin]
    """)
    result = run(pytester, "-q")
    result.assert_outcomes(passed=1)


def test_each_part_is_an_item_named_after_its_question_and_the_points_are_summed(pytester, answers):
    result = run(pytester, "--fastquiz", str(answers), "-k", "q04 or q05 or q06", "-v", "-p", "no:cacheprovider")
    for line in ("fastquiz: grading *; isolation full*", "*q04::test_doubles_each_odd_number_in_order PASSED*",
                 "*q05::test_stacks_images_along_a_new_first_axis FAILED*", "*q06::* SKIPPED*not started*",
                 "*points: 5/10"):
        result.stdout.fnmatch_lines([line])
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 2 and outcomes["failed"] >= 1 and outcomes["skipped"] >= 2
    assert "torch.cat" not in result.stdout.str()  # no traceback of the check: its message alone


def test_no_traceback_is_formatted_for_a_part_its_verdict_replaces(pytester, answers):
    """pytest would read and parse the source of every file in a failing part's traceback to format
    it, tens of milliseconds a part, for a report whose words are the verdict's: for a part that
    fails (q05's, shrunk by hypothesis) and for each part of an answer that fails to load (q07's)."""
    (answers / "q07_rmse_l1.py").write_text((ROOT / "solutions" / "q07_rmse_l1.py").read_text() + "\n1 / 0\n")
    pytester.makeconftest("""
        import pytest

        formatted = []
        _format = pytest.ExceptionInfo.getrepr

        def getrepr(self, *args, **kwargs):
            formatted.append(self.typename)
            return _format(self, *args, **kwargs)

        pytest.ExceptionInfo.getrepr = getrepr

        def pytest_terminal_summary(terminalreporter):
            terminalreporter.write_line(f"tracebacks formatted: {formatted}")
    """)
    result = run(pytester, "--fastquiz", str(answers), "-k", "q05 or q07", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*_ test_stacks_images_along_a_new_first_axis _*", "failed: stack_images of *"])
    result.stdout.fnmatch_lines(["error: *ZeroDivisionError*"])
    result.stdout.fnmatch_lines(["tracebacks formatted: []"])


def test_a_part_notes_its_calls_only_when_it_fails_and_keeps_its_first_verdict(pytester, tmp_path):
    """Noting a part's calls for the diagnosis fingerprints their arguments (q03's: hundreds of digits),
    thrown away when the part passes. So a part runs with its notes off, and one that fails runs once
    more, noted. Its verdict is the first run's: an answer wrong only at its first call still fails."""
    from fastquiz.grader.checks.q03_pixel_similarity import SUBSETS

    folder = make_workspace(tmp_path / "answers", ids=("q03",))
    answer = folder / "q03_pixel_similarity.py"
    answer.write_text(answer.read_text().replace("    return on_3s, on_7s\n", (
        "    global CALLS\n"
        "    CALLS += 1\n"
        "    return (on_3s, on_7s) if CALLS > 1 else (0.5, 0.5)\n")) + "\nCALLS = 0\n")
    pytester.makeconftest("""
        import json

        from fastquiz.grader import diagnosis

        keyed, counts = [], {}
        _key = diagnosis.CallLog.key

        def key(self, function, args, kwargs):
            keyed.append(function)
            return _key(self, function, args, kwargs)

        diagnosis.CallLog.key = key

        class Counter:  # a plugin of the session's, not a conftest's: the parts are the bank's, not under it
            def pytest_runtest_logreport(self, report):
                if report.when == "call":
                    counts[report.nodeid.rsplit("::", 1)[-1]] = len(keyed)
                    keyed.clear()

        def pytest_configure(config):
            config.pluginmanager.register(Counter())

        def pytest_terminal_summary(terminalreporter):
            terminalreporter.write_line("keyed: " + json.dumps(counts))
    """)
    result = run(pytester, "--fastquiz", str(folder), "-k", "q03", "-v", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*q03::test_predicts_the_embedded_valid_digits_like_the_reference PASSED*",
                                 "*q03::test_accuracy_on_valid_digits_matches_the_reference FAILED*"])
    counts = json.loads(result.stdout.str().split("keyed: ", 1)[1].splitlines()[0])
    assert counts["test_predicts_the_embedded_valid_digits_like_the_reference"] == 0  # passed: never noted
    assert counts["test_accuracy_on_valid_digits_matches_the_reference"] == len(SUBSETS)  # the second run's calls


def test_a_failing_part_runs_again_only_where_the_questions_limits_leave_room():
    """The second run may use as much as the first: it is made only while the answer's CPU time, with
    it, stays within half the question's limit, the wall clock within its deadline, and never after
    a limit or with a worker that ended."""
    import time
    from types import SimpleNamespace

    from fastquiz.grader.answers import StudentOutOfTime
    from fastquiz.grader.student import Student

    def student(spent=0.0, deadline=60.0, running=True, limit_hit=None) -> Student:
        answer = Student.__new__(Student)
        answer.spent, answer.time_limit, answer.limit_hit = spent, 10.0, limit_hit
        answer.deadline, answer.worker = time.monotonic() + deadline, SimpleNamespace(running=running)
        return answer

    assert student(spent=3.0).can_repeat(cpu=2.0, wall=2.5)  # 5 of 10 CPU-s, with the second run
    assert not student(spent=3.5).can_repeat(cpu=2.0, wall=2.5)
    assert not student(spent=3.0, deadline=4.0).can_repeat(cpu=2.0, wall=2.5)
    assert not student(running=False).can_repeat(cpu=0.1, wall=0.1)
    assert not student(limit_hit=StudentOutOfTime("used more than its 10 s")).can_repeat(cpu=0.1, wall=0.1)


def test_x_stops_at_the_first_failure_and_lf_reruns_only_the_failures(pytester, answers):
    first = run(pytester, "--fastquiz", str(answers), "-k", "q04 or q05", "-x")
    assert first.parseoutcomes()["failed"] == 1
    again = run(pytester, "--fastquiz", str(answers), "-k", "q04 or q05", "--lf", "-v")
    again.stdout.fnmatch_lines(["*run-last-failure: rerun previous 1 failure*"])
    assert again.parseoutcomes() == {"failed": 1, "deselected": again.parseoutcomes()["deselected"]}


def test_junit_holds_a_test_case_per_part_with_its_verdict(pytester, answers, tmp_path):
    report = tmp_path / "junit.xml"
    run(pytester, "--fastquiz", str(answers), "-k", "q05", f"--junitxml={report}")
    cases = ET.parse(report).getroot().findall(".//testcase")
    assert {c.get("classname") for c in cases} == {"q05"}
    failed = [c for c in cases if c.find("failure") is not None]
    assert failed and all(c.find("failure").get("message").startswith("failed: ") for c in failed)


HIDDEN = '''
import pytest

from fastquiz.grader.question import HiddenChecks

KEY = {"input": [13, 8, 21], "answer": [26, 42]}
CHECKS = HiddenChecks()


@pytest.fixture
def key_input():
    return list(KEY["input"])


@pytest.mark.parametrize("numbers, doubled", [([1], [2]), ([2, 3], [6])])
def test_small_lists(student, numbers, doubled):
    assert student.function("double_odds")(numbers) == doubled, "not the doubled odd numbers"


def test_agrees_with_the_key_without_a_message(student, key_input):
    assert student.function("double_odds")(key_input) == KEY["answer"]


@CHECKS.part(points=3)
def test_in_the_older_form(student):
    assert student.function("double_odds")([5]) == [10], "five doubled is ten"
'''


def test_hidden_checks_are_ordinary_pytest_files_and_never_show_a_key(pytester, tmp_path):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "q04_key.py").write_text(HIDDEN)
    wrong = make_workspace(tmp_path / "wrong", ids=("q04",))
    source = (wrong / "q04_list_comprehension.py").read_text().replace("2 * n", "3 * n")
    (wrong / "q04_list_comprehension.py").write_text(source)
    result = run(pytester, "--fastquiz", str(wrong), "--fastquiz-hidden", str(hidden), "-k", "q04", "-v",
                 "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*q04::q04_key::test_small_lists?numbers0-doubled0? FAILED*",
                                 "*q04::q04_key::test_in_the_older_form FAILED*"])
    text = result.stdout.str()
    assert "26, 42" not in text and "[26" not in text  # the key's answer, never an operand in a message
    assert "agrees with the key without a message: not as expected" in text
    right = make_workspace(tmp_path / "right", ids=("q04",))
    passed = run(pytester, "--fastquiz", str(right), "--fastquiz-hidden", str(hidden), "-k", "q04",
                 "-p", "no:cacheprovider")
    passed.assert_outcomes(passed=6)
    passed.stdout.fnmatch_lines(["*q04*passed*9/9*"])  # 3 public points, 1 + 1 + 1 + 3 hidden ones


def test_a_hidden_file_that_names_no_question_says_how(pytester, tmp_path):
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "extra.py").write_text("def test_something(student):\n    pass\n")
    result = run(pytester, "--fastquiz", str(make_workspace(tmp_path / "w", ids=("q04",))), "--fastquiz-hidden",
                 str(hidden))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*hidden check belongs to the question its file is named after*"])
