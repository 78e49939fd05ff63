"""How far `fastquiz grade` has got: submissions done, of how many, and the time left.

On a terminal, one line rewritten in place; piped (a log, CI), a line per finished submission.
Written to stderr, so that what `grade` prints on stdout stays the same.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO

from .escaping import readable
from .grader.results import QuestionResult


class Progress:
    """Counts questions as they are graded; a submission is done when all of its are."""

    def __init__(self, questions: int, stream: TextIO | None = None):
        self.questions, self.submissions = questions, 0
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.started = time.monotonic()
        self.graded: Counter[str] = Counter()
        self.points: Counter[str] = Counter()
        self.done = 0

    def start(self, submissions: int) -> None:
        """Grading of this many submissions (those that could be prepared) begins now."""
        self.submissions, self.started = submissions, time.monotonic()

    def __call__(self, submission: str, result: QuestionResult) -> None:
        """Record one question's result (the `on_result` of `grade_submissions`)."""
        self.graded[submission] += 1
        self.points[submission] += result.score
        finished = self.graded[submission] == self.questions
        self.done += finished
        status = f"{self.done}/{self.submissions} submissions graded{self._time_left()}"
        if self.live:
            self.stream.write(f"\r\033[K{status}")
        elif finished:
            self.stream.write(f"{readable(submission)}: graded, {self.points[submission]} points ({status})\n")
        self.stream.flush()

    def close(self) -> None:
        """End the line rewritten in place, if any."""
        if self.live and self.graded:
            self.stream.write("\n")
            self.stream.flush()

    def _time_left(self) -> str:
        total, graded = self.submissions * self.questions, sum(self.graded.values())
        if graded == total:
            return f", in {time.monotonic() - self.started:.0f} s"
        left = (time.monotonic() - self.started) / graded * (total - graded)
        return f", about {left:.0f} s left" if left < 90 else f", about {left / 60:.0f} min left"
