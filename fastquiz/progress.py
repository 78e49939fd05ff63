"""How far `fastquiz grade` has got: submissions done, of how many, and the time left.

On a terminal, one line rewritten in place; piped (a log, CI), a line per finished submission.
Written to stderr, so that what `grade` prints on stdout stays the same.

The time left is the work that remains at the pace of the work done. Each question weighs what it
is expected to cost (its time limit: r2's training weighs more than a one-line answer), so a
submission is done when all its questions are, and the work left is the weight of the questions
not reported yet, over every submission. The pace is the weight reported per second since grading
began, which counts the workers' start and however many run at once. It is driven by the grader's
results callback alone, so it does not depend on how the work is scheduled.
"""
from __future__ import annotations

import math
import sys
import time
from collections import Counter
from typing import Callable, TextIO

from .escaping import readable
from .grader.results import QuestionResult


class Progress:
    """Counts questions as they are graded and estimates the time left from their expected costs."""

    def __init__(self, costs: dict[str, float], stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic):
        """`costs`: each question's expected cost by id (its time limit in seconds), for the questions graded."""
        self.costs = dict(costs)
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.clock = clock
        self.began = self.started = clock()  # the run's start, and grading's (`start`)
        self.submissions = 0
        self.graded: Counter[str] = Counter()
        self.points: Counter[str] = Counter()
        self.done = 0
        self.work_done = 0.0

    def start(self, submissions: int) -> None:
        """Grading of this many submissions (those that could be prepared) begins now."""
        self.submissions, self.started = submissions, self.clock()

    def __call__(self, submission: str, result: QuestionResult) -> None:
        """Record one question's result (the `on_result` of `grade_submissions`)."""
        self.graded[submission] += 1
        self.points[submission] += result.score
        self.work_done += self._cost(result.id)
        finished = self.graded[submission] == len(self.costs)
        self.done += finished
        status = f"{self.done}/{self.submissions} submissions graded, {self.time_left()}"
        if self.live:
            self.stream.write(f"\r\033[K{status}")
        elif finished:
            self.stream.write(f"{readable(submission)}: graded, {self.points[submission]} points ({status})\n")
        self.stream.flush()

    def time_left(self) -> str:
        """'about 12 s left' (never 0 while work remains), or once every question is in, the run's time."""
        if self.done == self.submissions:
            return f"in {self.clock() - self.began:.0f} s"
        left = self.seconds_left()
        if left is None:
            return "estimating the time left"
        return f"about {math.ceil(left)} s left" if left < 90 else f"about {math.ceil(left / 60)} min left"

    def seconds_left(self) -> float | None:
        """The weight of the questions not reported yet, at the pace of those reported; at least a second
        while any is left; None before the first is reported."""
        if self.work_done <= 0:
            return None
        work_left = self.submissions * sum(self.costs.values()) - self.work_done
        pace = self.work_done / max(self.clock() - self.started, 1e-9)  # weight per second
        return max(1.0, work_left / pace)

    def close(self) -> None:
        """End the line rewritten in place, if any."""
        if self.live and self.graded:
            self.stream.write("\n")
            self.stream.flush()

    def _cost(self, question: str) -> float:
        return self.costs.get(question) or 1.0
