"""What grading produces: a status and points per part, per question, per workspace."""
from __future__ import annotations

from dataclasses import dataclass, field

from .protocol import Status

# The statuses of a part or a question, by name (see `protocol.Status`).
PASSED, FAILED, NOT_STARTED, ERROR, TIMEOUT, MEMORY = (Status.PASSED, Status.FAILED, Status.NOT_STARTED, Status.ERROR,
                                                       Status.TIMEOUT, Status.MEMORY)


@dataclass
class PartResult:
    name: str
    status: str
    score: int
    max_score: int
    message: str = ""
    hidden: bool = False  # one of an instructor's hidden checks
    # what the part measured, by name (e.g. r2's held-out accuracy): a check records one with
    # `request.node.user_properties.append((name, value))`
    metrics: dict[str, float] = field(default_factory=dict)
    # the known mistake a failing part behaves like, in words ("This looks like ..."), shown after its message; never
    # a guess, and never a point's difference (see `diagnosis.py`)
    diagnosis: str | None = None


@dataclass
class QuestionResult:
    id: str
    title: str
    parts: list[PartResult]
    seconds: float = 0.0  # wall time, its worker's start included
    cpu: float = 0.0  # CPU seconds the answer's own code used, in the requests of its checks

    @property
    def score(self) -> int:
        return sum(p.score for p in self.parts)

    @property
    def max_score(self) -> int:
        return sum(p.max_score for p in self.parts)

    @property
    def status(self) -> str:
        statuses = {p.status for p in self.parts}
        if statuses == {PASSED}:
            return PASSED
        if statuses == {NOT_STARTED}:
            return NOT_STARTED
        for worst in (TIMEOUT, MEMORY, ERROR):
            if worst in statuses:
                return worst
        return FAILED

    @property
    def message(self) -> str:
        """The first useful message: for a limit, the part that ran into it; else the first part
        that did not pass (and was attempted); else, when some parts are done and others not
        started yet, the names of those."""
        status = self.status
        if status in (TIMEOUT, MEMORY):
            part = next(p for p in self.parts if p.status == status)
            return f"{_words(part.name)}: {part.message}"
        attempted = [p for p in self.parts if p.status not in (PASSED, NOT_STARTED)]
        if attempted:
            return attempted[0].message
        waiting = [_words(p.name) for p in self.parts if p.status == NOT_STARTED]
        return f"not started yet: {'; '.join(waiting)}" if waiting and status != NOT_STARTED else ""

    @property
    def diagnosis(self) -> str | None:
        """The diagnosis of its first failing part that has one."""
        return next((p.diagnosis for p in self.parts if p.diagnosis and p.status != PASSED), None)

    @classmethod
    def from_dict(cls, data: dict) -> "QuestionResult":
        """The inverse of `as_dict` (derived fields are recomputed, not read)."""
        parts = [PartResult(**{**p, "status": Status(p["status"])}) for p in data["parts"]]
        return cls(data["id"], data["title"], parts, data.get("seconds", 0.0), data.get("cpu", 0.0))

    def as_dict(self) -> dict:
        return {
            "seconds": self.seconds, "cpu": self.cpu,
            "id": self.id, "title": self.title, "status": self.status, "score": self.score,
            "max_score": self.max_score, "message": self.message, "diagnosis": self.diagnosis,
            "parts": [{**vars(p), "metrics": dict(p.metrics)} for p in self.parts],  # as dataclasses.asdict, without its deep copies
        }


def _words(part_name: str) -> str:
    """A part's test name as words: `test_counts_the_pngs` is "counts the pngs"."""
    return part_name.removeprefix("test_").replace("_", " ")


@dataclass
class GradeReport:
    questions: list[QuestionResult] = field(default_factory=list)
    isolation: str = ""  # what confined the student's code (see `sandbox.Isolation`)

    @property
    def score(self) -> int:
        return sum(q.score for q in self.questions)

    @property
    def max_score(self) -> int:
        return sum(q.max_score for q in self.questions)

    @property
    def all_passed(self) -> bool:
        return all(q.status == PASSED for q in self.questions)

    def as_dict(self) -> dict:
        return {"score": self.score, "max_score": self.max_score, "questions": [q.as_dict() for q in self.questions]}
