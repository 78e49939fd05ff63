"""What a class's results say: the spread of scores, each question's pass rate, the hardest
questions, and the failure messages that many submissions share."""
from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .grader.results import NOT_STARTED, PASSED, GradeReport

# Messages that differ only in the numbers or quoted values they show are one mistake.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w])")


@dataclass(frozen=True)
class QuestionStats:
    id: str
    title: str
    max_score: int
    graded: int      # submissions graded on it
    attempted: int   # ... that were not left as the stub
    passed: int
    mean_score: float

    @property
    def pass_rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class FailureGroup:
    """Submissions whose answer to one question failed with the same message, up to numbers
    and quoted values; `message` is the first of them, as its student saw it."""

    question: str
    message: str
    submissions: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.submissions)


@dataclass
class ClassSummary:
    scores: dict[str, int]                  # graded submission -> total
    max_score: int
    questions: list[QuestionStats]
    failures: list[FailureGroup]            # most common first
    ungraded: dict[str, str] = field(default_factory=dict)  # submission -> why it could not be graded

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores.values()) if self.scores else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.scores.values()) if self.scores else 0.0

    def hardest(self, n: int = 5) -> list[QuestionStats]:
        """The `n` questions with the lowest pass rates (then the lowest mean scores)."""
        ranked = sorted((q for q in self.questions if q.graded),
                        key=lambda q: (q.pass_rate, q.mean_score / (q.max_score or 1), q.id))
        return ranked[:n]


def summarize(rows: Iterable[tuple[str, GradeReport | None, str]], top_failures: int = 10) -> ClassSummary:
    """A summary of `fastquiz grade`'s rows: (submission, its report or None, its problem)."""
    scores, ungraded, results = {}, {}, defaultdict(list)
    failures: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for name, report, problem in rows:
        if report is None:
            ungraded[name] = problem
            continue
        scores[name] = report.score
        for q in report.questions:
            results[q.id].append(q)
            if q.status not in (PASSED, NOT_STARTED):
                failures[q.id, message_pattern(q.message or q.status)].append((name, q.message or q.status))
    questions = [
        QuestionStats(id=qid, title=qs[0].title, max_score=qs[0].max_score, graded=len(qs),
                      attempted=sum(q.status != NOT_STARTED for q in qs), passed=sum(q.status == PASSED for q in qs),
                      mean_score=statistics.fmean(q.score for q in qs))
        for qid, qs in results.items()
    ]
    groups = [FailureGroup(qid, found[0][1], tuple(name for name, _ in found)) for (qid, _), found in failures.items()]
    groups.sort(key=lambda g: (-g.count, g.question))
    return ClassSummary(scores, sum(q.max_score for q in questions), questions, groups[:top_failures], ungraded)


def message_pattern(message: str) -> str:
    """The message with its numbers and quoted values blanked out."""
    return _NUMBER.sub("#", _QUOTED.sub("'…'", message))
