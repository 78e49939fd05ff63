"""A question's metadata, and the parts that earn its points.

Each check module in `grader/checks/` defines one `Question` and marks its pytest test
functions as graded parts, with literal arguments only:

    QUESTION = Question(title="List comprehensions", source=4, hints=["...", "..."])

    @QUESTION.part(points=2, kind=BEHAVIOUR)
    def test_doubles_each_odd_number(student): ...

The module is the single source of truth: its file name gives the id (`q04_...` is
q04) and the names of the stub and the model answer. The grader imports it; the CLI
(`hint`, `list`, `init`) and the report read the same metadata from its syntax tree
(`load_questions`), without importing torch or hypothesis.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Callable

CHECKS_DIR = Path(__file__).with_name("checks")

# The bank's version: it goes up when a question's task changes, so that results graded by
# another bank are graded again and older workspaces are migrated (see `fastquiz.workspace`).
BANK_VERSION = 3

# What earns a part's points: what the student's code does when run (behaviour), a letter
# picked among options (choice), a value typed in (value), or how the code is written (source).
BEHAVIOUR, CHOICE, VALUE, SOURCE = "behaviour", "choice", "value", "source"
KINDS = (BEHAVIOUR, CHOICE, VALUE, SOURCE)

# The first hint level that gives part of the answer away: `fastquiz hint` shows it only after
# an attempt that does not pass, or earlier with --force, which the report then lists.
REVEALING_LEVEL = 2


@dataclass
class Part:
    name: str
    points: int
    kind: str = BEHAVIOUR


@dataclass
class Question:
    """One exercise. `source` is the question's number in fastbook ch. 4's questionnaire,
    or a string such as "Further Research 1". `hints` go from a nudge (level 1) to what
    gives part of the answer away (from `REVEALING_LEVEL` on)."""

    title: str
    source: int | str
    hints: list[str]
    time_limit: float = 10.0  # CPU seconds the answer's code may use for all of the question's parts together
    sends: tuple[str, ...] = ()  # fastquiz modules whose objects (a DataLoaders, a probe) checks send to the answer
    judged_on_mnist: bool = False  # judged on the full MNIST when it is downloaded, else on the embedded digits
    parts: list[Part] = field(default_factory=list)
    module: str = ""  # the file name (no .py) shared by the stub, the model answer and the checks

    @property
    def id(self) -> str:
        return self.module.split("_", 1)[0]

    def __post_init__(self):
        if len(self.hints) < 2:
            raise ValueError(f"{self.title!r} needs at least two hints (a nudge, then a near-solution)")

    @property
    def points(self) -> int:
        return sum(part.points for part in self.parts)

    @property
    def citation(self) -> str:
        where = f"question {self.source}" if isinstance(self.source, int) else self.source
        return f"fastbook ch. 4, {where}"

    def part(self, points: int = 1, kind: str = BEHAVIOUR) -> Callable:
        """Decorator: the test function is a graded part worth `points`, earned by `kind`."""
        if kind not in KINDS:
            raise ValueError(f"a part's kind is one of {KINDS}, got {kind!r}")

        def register(test: Callable) -> Callable:
            self.parts.append(Part(test.__name__, points, kind))
            setattr(test, "fastquiz_points", points)
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
            setattr(test, "fastquiz_points", points)
            setattr(test, "fastquiz_hidden", True)
            return test

        return register


def module_names() -> list[str]:
    """The check modules' names, in question order (q01..q37, then r1, r2), without importing them."""
    names = [p.stem for p in CHECKS_DIR.glob("[qr][0-9]*.py")]
    return sorted(names, key=lambda name: (name[0] != "q", name))


def question_of(module: ModuleType) -> Question:
    """The `QUESTION` a check module defines, bound to the module's file name."""
    question: Question = module.QUESTION
    question.module = module.__name__.rsplit(".", 1)[-1]
    return question


def load_questions() -> list[Question]:
    """Every question, in order, read from the check modules' syntax trees (nothing is imported)."""
    return [read_question(name) for name in module_names()]


@cache
def _read(name: str) -> Question:
    tree = ast.parse((CHECKS_DIR / f"{name}.py").read_text(encoding="utf-8"))
    question = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["QUESTION"] \
                and isinstance(node.value, ast.Call):
            call = node.value
            args = [ast.literal_eval(a) for a in call.args]
            options = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
            question = Question(*args, **{**options, "module": name})
        elif isinstance(node, ast.FunctionDef) and question is not None:
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "QUESTION.part":
                    options = {k.arg: k.value for k in decorator.keywords if k.arg}
                    points = ast.literal_eval(options["points"]) if "points" in options else 1
                    question.parts.append(Part(node.name, points, _kind(options.get("kind"))))
    if question is None:
        raise ValueError(f"{name}.py defines no QUESTION = Question(...)")
    return question


def _kind(node: ast.expr | None) -> str:
    """A part's kind as written: a constant's name (BEHAVIOUR, whose value is its name in lower case) or a string."""
    if node is None:
        return BEHAVIOUR
    return node.id.lower() if isinstance(node, ast.Name) else ast.literal_eval(node)


def read_question(name: str) -> Question:
    """One question's metadata, from the syntax tree of its check module `name`."""
    found = _read(name)
    return replace(found, hints=list(found.hints), parts=[Part(p.name, p.points, p.kind) for p in found.parts])


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
