"""What a class's results say: the spread of scores, each question's pass rate, the hardest
questions, the failure messages that many submissions share (with the hints they call for), each
question's commonest diagnosed mistakes, r2's leaderboard, and the answers that are suspiciously
alike (see `similarity.py`)."""
from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .exports import report_metrics
from .grader.results import NOT_STARTED, PASSED, GradeReport
from .similarity import SimilarPair, similar_pairs

# Messages that differ only in the numbers or quoted values they show are one mistake.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?(?![\w])")
MISTAKES_PER_QUESTION = 3  # the commonest diagnosed mistakes shown for each question


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
    and quoted values (`message` is the first of them, as its student saw it); or, among
    `ClassSummary.mistakes`, was diagnosed as the same known mistake (`message` is the diagnosis
    in the words the students read: see `grader/diagnosis.py`)."""

    question: str
    message: str
    submissions: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.submissions)


@dataclass(frozen=True)
class LeaderboardRow:
    """What r2's training part measured for one submission (see `exports.LEADERBOARD`)."""

    submission: str
    accuracy: float
    seconds: float
    digits: int = 0  # how many digits the accuracy was measured on (r2's judged_digits)


@dataclass
class ClassSummary:
    scores: dict[str, int]                  # graded submission -> total
    max_score: int
    questions: list[QuestionStats]
    failures: list[FailureGroup]            # most common first
    ungraded: dict[str, str] = field(default_factory=dict)  # submission -> why it could not be graded
    leaderboard: list[LeaderboardRow] = field(default_factory=list)  # most accurate first
    similar: list[SimilarPair] = field(default_factory=list)  # most similar first
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # submission -> module -> code
    hints: dict[str, list[str]] = field(default_factory=dict)  # question id -> its hints, for the failures
    mistakes: list[FailureGroup] = field(default_factory=list)  # per question in the bank's order, commonest first

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores.values()) if self.scores else 0.0

    @property
    def judged_digits(self) -> str:
        """How many digits the leaderboard's accuracies were measured on, as the results say ("500")."""
        counts = sorted({row.digits for row in self.leaderboard if row.digits})
        return " or ".join(f"{n:,}" for n in counts) or "the"

    @property
    def median(self) -> float:
        return statistics.median(self.scores.values()) if self.scores else 0.0

    def hardest(self, n: int = 5) -> list[QuestionStats]:
        """The `n` questions with the lowest pass rates (then the lowest mean scores)."""
        ranked = sorted((q for q in self.questions if q.graded),
                        key=lambda q: (q.pass_rate, q.mean_score / (q.max_score or 1), q.id))
        return ranked[:n]


def summarize(rows: Iterable[tuple[str, GradeReport | None, str]], top_failures: int = 10,
              answers: dict[str, dict[str, str]] | None = None) -> ClassSummary:
    """A summary of `fastquiz grade`'s rows: (submission, its report or None, its problem), with
    the similar answers among `answers` (submission -> module -> code) when given."""
    rows = list(rows)
    scores, ungraded, results = {}, {}, defaultdict(list)
    failures: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    diagnosed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, report, problem in rows:
        if report is None:
            ungraded[name] = problem
            continue
        scores[name] = report.score
        for q in report.questions:
            results[q.id].append(q)
            if q.status not in (PASSED, NOT_STARTED):
                failures[q.id, message_pattern(q.message or q.status)].append((name, q.message or q.status))
                if q.diagnosis:
                    diagnosed[q.id, q.diagnosis].append(name)
    questions = [
        QuestionStats(id=qid, title=qs[0].title, max_score=qs[0].max_score, graded=len(qs),
                      attempted=sum(q.status != NOT_STARTED for q in qs), passed=sum(q.status == PASSED for q in qs),
                      mean_score=statistics.fmean(q.score for q in qs))
        for qid, qs in results.items()
    ]
    groups = [FailureGroup(qid, found[0][1], tuple(name for name, _ in found)) for (qid, _), found in failures.items()]
    groups.sort(key=lambda g: (-g.count, g.question))
    return ClassSummary(scores, sum(q.max_score for q in questions), questions, groups[:top_failures], ungraded,
                        leaderboard=_leaderboard(rows), similar=_similar(answers or {}), answers=answers or {},
                        hints=_hints({g.question for g in groups[:top_failures]}), mistakes=_commonest(diagnosed))


def _commonest(diagnosed: dict[tuple[str, str], list[str]]) -> list[FailureGroup]:
    """Each question's MISTAKES_PER_QUESTION commonest diagnoses, the questions in the bank's order (q01..q37, r1, r2)."""
    counts = sorted((FailureGroup(qid, text, tuple(names)) for (qid, text), names in diagnosed.items()),
                    key=lambda m: (m.question[0] != "q", m.question, -m.count, m.message))
    shown: dict[str, int] = defaultdict(int)
    kept = []
    for mistake in counts:
        shown[mistake.question] += 1
        if shown[mistake.question] <= MISTAKES_PER_QUESTION:
            kept.append(mistake)
    return kept


def _leaderboard(rows: list[tuple[str, GradeReport | None, str]]) -> list[LeaderboardRow]:
    board = []
    for name, report, _ in rows:
        metrics = report_metrics(report) if report is not None else {}
        if "held_out_accuracy" in metrics:
            board.append(LeaderboardRow(name, metrics["held_out_accuracy"], metrics.get("training_seconds", 0.0),
                                        int(metrics.get("judged_digits", 0))))
    return sorted(board, key=lambda row: (-row.accuracy, row.seconds, row.submission))


def _similar(answers: dict[str, dict[str, str]]) -> list[SimilarPair]:
    if len(answers) < 2:
        return []
    from .workspace import model_answer, stubs_dir

    modules = {module for files in answers.values() for module in files}
    stubs = {m: _read(stubs_dir() / f"{m}.py") for m in modules}
    models = {m: _read(model_answer(m)) for m in modules}  # none in a students' build: nothing to set aside
    return similar_pairs(answers, stubs, models)


def _read(path: Path | None) -> str:
    return path.read_text(encoding="utf-8") if path is not None and path.is_file() else ""


def _hints(question_ids: set[str]) -> dict[str, list[str]]:
    if not question_ids:
        return {}
    from .grader.question import load_questions

    return {q.id: q.hints for q in load_questions() if q.id in question_ids}


def message_pattern(message: str) -> str:
    """The message with its numbers and quoted values blanked out."""
    return _NUMBER.sub("#", _QUOTED.sub("'…'", message))
