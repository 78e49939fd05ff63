"""`fastquiz grade`'s progress: submissions done, of how many, and the time left, on stderr."""
from __future__ import annotations

import io

from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.errors import ExitCode
from fastquiz.grader.results import PartResult, QuestionResult
from fastquiz.progress import Progress
from workspaces import make_workspace


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    """A clock the test moves by hand: no test here depends on how fast it runs."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def result(qid: str, score: int) -> QuestionResult:
    return QuestionResult(qid, qid, [PartResult("part", "passed" if score else "failed", score, 2)])


def feed(progress: Progress) -> None:
    progress.start(2)
    for name, qid, score in [("ann", "q01", 2), ("ben", "q01", 0), ("ann", "q02", 2), ("ben", "q02", 2)]:
        progress(name, result(qid, score))
    progress.close()


def test_on_a_terminal_one_line_is_rewritten_with_submissions_done_and_time_left():
    screen = Terminal()
    feed(Progress({"q01": 1, "q02": 1}, stream=screen))
    updates = screen.getvalue().split("\r\033[K")[1:]
    assert len(updates) == 4 and screen.getvalue().endswith("\n")
    assert updates[0].startswith("0/2 submissions graded, about ") and updates[0].endswith(" s left")
    assert updates[2].startswith("1/2 submissions graded, about ")
    assert updates[3].startswith("2/2 submissions graded, in ")


def test_piped_it_writes_a_line_per_finished_submission():
    log = io.StringIO()
    feed(Progress({"q01": 1, "q02": 1}, stream=log))
    lines = log.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ann: graded, 4 points (1/2 submissions graded, about ")
    assert lines[1].startswith("ben: graded, 2 points (2/2 submissions graded, in ")


def test_the_time_left_is_the_expected_cost_of_the_questions_left_at_the_pace_of_those_done():
    clock = Clock()
    progress = Progress({"q01": 1, "q02": 1, "r2": 8}, stream=io.StringIO(), clock=clock)  # r2 costs 8 of 10
    clock.now += 4  # the isolation's trial and the submissions' copies: not grading
    progress.start(3)
    clock.now += 2
    progress("ann", result("q01", 2))
    progress("ann", result("q02", 2))  # 2 of 30 units in 2 s: 28 left, 28 s at that pace
    assert progress.time_left() == "about 28 s left"
    clock.now += 8
    progress("ann", result("r2", 2))  # 10 of 30 in 10 s: 20 left
    assert progress.time_left() == "about 20 s left"


def test_with_work_left_it_never_says_0_s():
    clock = Clock()
    progress = Progress({"q01": 1, "q02": 1}, stream=io.StringIO(), clock=clock)
    progress.start(3)
    clock.now += 0.01
    for name in ("ann", "ben"):  # two submissions out of three, in no time at all
        progress(name, result("q01", 2))
        progress(name, result("q02", 2))
    assert progress.done == 2 and progress.time_left() == "about 1 s left"


def test_before_any_question_is_in_it_estimates_nothing_and_at_the_end_it_gives_the_whole_run():
    clock = Clock()
    progress = Progress({"q01": 5}, stream=io.StringIO(), clock=clock)
    progress.start(1)
    assert progress.time_left() == "estimating the time left"
    clock.now += 90
    progress("ann", result("q01", 2))
    assert progress.time_left() == "in 90 s"


def test_long_waits_are_in_minutes_rounded_up():
    clock = Clock()
    progress = Progress({"q01": 1}, stream=io.StringIO(), clock=clock)
    progress.start(100)
    clock.now += 10
    progress("ann", result("q01", 2))  # 99 left at 10 s each: 990 s
    assert progress.time_left() == "about 17 min left"


def test_grade_reports_each_submission_on_stderr_as_it_finishes(tmp_path):
    alice = make_workspace(tmp_path / "alice", "solutions", ("q04",))
    bob = make_workspace(tmp_path / "bob", "exercises", ("q04",))
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["grade", str(alice), str(bob), str(tmp_path / "empty"),
                                       "--questions", "q04", "--out", str(tmp_path / "out")])
    assert result.exit_code == ExitCode.NOT_ALL_GRADED, result.output  # the empty folder
    progress = sorted(result.stderr.splitlines())
    assert progress[0].startswith("alice: graded, 3 points (") and progress[1].startswith("bob: graded, 0 points (")
    assert sum("2/2 submissions graded, in " in line for line in progress) == 1  # the one that can't be graded isn't counted
    assert "graded" not in result.stdout.split("alice: 3/3")[0]  # stdout is as it was
