"""`fastquiz grade`'s progress: submissions done, of how many, and the time left, on stderr."""
from __future__ import annotations

import io

from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader.results import PartResult, QuestionResult
from fastquiz.progress import Progress
from workspaces import make_workspace


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def result(qid: str, score: int) -> QuestionResult:
    return QuestionResult(qid, qid, [PartResult("part", "passed" if score else "failed", score, 2)])


def feed(progress: Progress) -> None:
    progress.start(2)
    for name, qid, score in [("ann", "q01", 2), ("ben", "q01", 0), ("ann", "q02", 2), ("ben", "q02", 2)]:
        progress(name, result(qid, score))
    progress.close()


def test_on_a_terminal_one_line_is_rewritten_with_submissions_done_and_time_left():
    screen = Terminal()
    feed(Progress(questions=2, stream=screen))
    updates = screen.getvalue().split("\r\033[K")[1:]
    assert len(updates) == 4 and screen.getvalue().endswith("\n")
    assert updates[0].startswith("0/2 submissions graded, about ") and updates[0].endswith(" s left")
    assert updates[2].startswith("1/2 submissions graded, about ")
    assert updates[3].startswith("2/2 submissions graded, in ")


def test_piped_it_writes_a_line_per_finished_submission():
    log = io.StringIO()
    feed(Progress(questions=2, stream=log))
    lines = log.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ann: graded, 4 points (1/2 submissions graded, about ")
    assert lines[1].startswith("ben: graded, 2 points (2/2 submissions graded, in ")


def test_grade_reports_each_submission_on_stderr_as_it_finishes(tmp_path):
    alice = make_workspace(tmp_path / "alice", "solutions", ("q04",))
    bob = make_workspace(tmp_path / "bob", "exercises", ("q04",))
    result = CliRunner().invoke(main, ["grade", str(alice), str(bob), str(tmp_path / "gone"),
                                       "--questions", "q04", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    progress = sorted(result.stderr.splitlines())
    assert progress[0].startswith("alice: graded, 3 points (") and progress[1].startswith("bob: graded, 0 points (")
    assert sum("2/2 submissions graded, in " in line for line in progress) == 1  # the one that can't be graded isn't counted
    assert "graded" not in result.stdout.split("alice: 3/3")[0]  # stdout is as it was
