"""A question's metadata, and the parts that earn its points.

Each check module in `grader/checks/` defines one `Question` and marks its pytest test
functions as graded parts:

    QUESTION = Question("List comprehensions", source=4, hints=["...", "..."])

    @QUESTION.part(points=2)
    def test_doubles_each_odd_number(student): ...

The module is the single source of truth: its file name gives the id (`q04_...` is
q04) and the names of the stub and the model answer; the CLI, the report and the tests
read the title, hints and points from here.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable

from . import checks as _checks_package


@dataclass
class Part:
    name: str
    points: int


@dataclass
class Question:
    """One exercise. `source` is the question's number in fastbook ch. 4's questionnaire,
    or a string such as "Further Research 1"."""

    title: str
    source: int | str
    hints: list[str]
    time_limit: float = 10.0  # CPU seconds the answer's code may use for all of the question's parts together
    sends: tuple[str, ...] = ()  # fastquiz modules whose objects (a DataLoaders, a probe) checks send to the answer
    parts: list[Part] = field(default_factory=list)
    module: str = ""  # the file name (no .py) shared by the stub, the model answer and the checks

    @property
    def id(self) -> str:
        return self.module.split("_", 1)[0]

    def __post_init__(self):
        if len(self.hints) < 2:
            raise ValueError(f"{self.id} needs at least two hints (a nudge, then a near-solution)")

    @property
    def points(self) -> int:
        return sum(part.points for part in self.parts)

    @property
    def citation(self) -> str:
        where = f"question {self.source}" if isinstance(self.source, int) else self.source
        return f"fastbook ch. 4, {where}"

    def part(self, points: int = 1) -> Callable:
        """Decorator: the test function is a graded part worth `points`."""

        def register(test: Callable) -> Callable:
            self.parts.append(Part(test.__name__, points))
            test.fastquiz_points = points
            return test

        return register


class HiddenChecks:
    """Extra parts of a question that students never see, kept by an instructor in a folder of
    their own (`fastquiz grade --hidden DIR`). A module there, named like the question's check
    module (`q04_list_comprehension.py`), declares `CHECKS = HiddenChecks()` and marks its
    tests with `@CHECKS.part(points=2)`; they use the same `student` fixture, and may read
    answer keys kept beside them, which student code can't see."""

    def part(self, points: int = 1) -> Callable:
        def register(test: Callable) -> Callable:
            test.fastquiz_points, test.fastquiz_hidden = points, True
            return test

        return register


def module_names() -> list[str]:
    """The check modules' names, in question order (q01..q37, then r1, r2), without importing them."""
    names = [m.name for m in pkgutil.iter_modules(_checks_package.__path__) if not m.name.startswith("_")]
    return sorted(names, key=lambda name: (name[0] != "q", name))


def question_of(module: ModuleType) -> Question:
    """The `QUESTION` a check module defines, bound to the module's file name."""
    question: Question = module.QUESTION
    question.module = module.__name__.rsplit(".", 1)[-1]
    return question


def load_questions() -> list[Question]:
    """Every question, in order."""
    return [question_of(importlib.import_module(f"{_checks_package.__name__}.{name}")) for name in module_names()]


def resolve(wanted: list[str]) -> list[str]:
    """Module names for question ids as a user types them (q4, Q04, r1); all when none are given.

    Raises KeyError with the first id that names no question."""
    by_id = {name.split("_", 1)[0]: name for name in module_names()}
    if not wanted:
        return list(by_id.values())
    chosen = []
    for name in wanted:
        key = name.strip().lower()
        if key[:1] == "q" and key[1:].isdigit():
            key = f"q{int(key[1:]):02d}"
        if key not in by_id:
            raise KeyError(name)
        chosen.append(by_id[key])
    return chosen
