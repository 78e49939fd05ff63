"""The checks a grading run uses: each question's parts, and what its worker is given.

`load` imports the check modules (by their package name, so that they load the same from a
wheel or an editable install) and an instructor's hidden checks (by path, under names of
their own), and describes each question as the grader needs it: its parts in order, the
fastquiz names its stub gives an answer, the fastquiz modules whose objects its checks send
to the student's code, and whether it must have a worker to itself.
"""
from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, FunctionType, ModuleType
from typing import Callable

from hypothesis import seed
from hypothesis.internal.reflection import function_digest

from .question import Question, question_of
from .sandbox import module_rules

HIDDEN_PACKAGE = "fastquiz_hidden_checks"
SOURCE_READERS = {"definition", "source"}  # `student.<these>`: a part that reads the answer's source


@dataclass
class Part:
    name: str
    test: Callable
    points: int
    hidden: bool = False


@dataclass
class CheckedQuestion:
    question: Question
    parts: list[Part]
    given: dict[str, list[str]]  # fastquiz module -> the names the stub imports from it
    sends: tuple[str, ...]  # fastquiz modules whose objects the checks hand to the student's code
    reads_source: bool  # some part judges how the answer is written

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def module(self) -> str:
        return self.question.module

    @property
    def alone(self) -> bool:
        """Whether the question needs a worker of its own: one that reads its answer's source must
        not share a process whose other answers could serve its calls in its place; one given
        fastquiz names, or sent fastquiz objects, must not leave them to the next question."""
        return self.reads_source or bool(self.given) or bool(self.sends) or any(p.hidden for p in self.parts)

    @functools.cached_property
    def loadable(self) -> list[str]:
        """The fastquiz modules its worker may load: those given and sent, with what they import."""
        return module_closure([*self.given, *given_modules(self.given), *self.sends])


def load(modules: list[str], stubs: Path, hidden: Path | None) -> list[CheckedQuestion]:
    """The questions named by their check modules, in that order, with any hidden parts after the public ones."""
    from . import checks

    found = []
    for name in modules:
        module = importlib.import_module(f"{checks.__name__}.{name}")
        question = question_of(module)
        parts = [Part(p.name, getattr(module, p.name), p.points) for p in question.parts]
        extra = _hidden_module(hidden / f"{name}.py") if hidden and (hidden / f"{name}.py").is_file() else None
        if extra is not None:
            parts += [Part(f.__name__, f, getattr(f, "fastquiz_points"), True) for f in vars(extra).values()
                      if isinstance(f, FunctionType) and getattr(f, "fastquiz_hidden", False)]
        for part in parts:
            _pin_seed(part.test)
        found.append(CheckedQuestion(question, parts, given_names((stubs / f"{name}.py").read_text(encoding="utf-8")),
                                     tuple(getattr(question, "sends", ())), _reads_source(module, extra)))
    return found


def warm_up(questions: list[CheckedQuestion]) -> None:
    """What the checks share (see `checks.warm_up`) and what each worker is given, worked out before
    tasks are forked, so that no task works it out again."""
    from . import checks

    checks.warm_up()
    for question in questions:
        worker_rules(tuple(question.loadable))


def _pin_seed(test: Callable) -> None:
    """hypothesis draws a derandomised part's examples from a digest of its source, which it works
    out again at every run (tokenising the source: milliseconds a part, every submission). Work it
    out once here and pin it with hypothesis's @seed: the same examples, without the cost."""
    handle = getattr(test, "hypothesis", None)
    if handle is None or getattr(test, "_hypothesis_internal_use_seed", None) is not None:
        return
    seed(int.from_bytes(function_digest(handle.inner_test), "big"))(test)
    setattr(test, "_hypothesis_internal_database_key", None)  # no database: no key to work out either


def _hidden_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{HIDDEN_PACKAGE}.{path.stem}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def given_names(stub: str) -> dict[str, list[str]]:
    """What a stub imports from fastquiz: {module: [names]} (`["*"]` for `import fastquiz.x`)."""
    given: dict[str, list[str]] = {}
    for node in ast.walk(ast.parse(stub)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.startswith("fastquiz"):
            given.setdefault(node.module, []).extend(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("fastquiz"):
                    given.setdefault(alias.name, []).append("*")
    return given


def module_closure(names: list[str]) -> list[str]:
    """The fastquiz modules named, their parent packages, the submodules their names come from
    (`fastquiz.reference`'s `mnist_loss` lives in `fastquiz.reference.linear`) and every fastquiz
    module they import, read from their source (never run)."""
    from .. import reference

    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen or not name.startswith("fastquiz"):
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(2, len(parts))]
        if name == reference.__name__:
            continue  # a lazy package: its names are loaded, each from its own submodule, as asked for
        spec = _find(name)
        if spec is None or not spec.origin:
            continue
        todo += _imports(Path(spec.origin), spec.parent if spec.submodule_search_locations is None else name)
    return sorted(seen)


def _find(name: str):
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def given_modules(given: dict[str, list[str]]) -> list[str]:
    """The submodules that define the names given from `fastquiz.reference` (it loads them lazily)."""
    from .. import reference

    names = given.get(reference.__name__, [])
    return [reference.submodule_of(n) for n in names if n != "*"]


def module_files(names: list[str]) -> list[str]:
    """The source files of fastquiz modules, for the sandbox to let a worker read them (and no others)."""
    files = []
    for name in names:
        spec = _find(name)
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            files.append(spec.origin)
    return files


@functools.cache
def worker_rules(loadable: tuple[str, ...]) -> list[tuple[str, int]]:
    """Landlock rules for a worker that may load these fastquiz modules (their files, and no others)."""
    return module_rules(module_files(list(loadable)))


def _imports(path: Path, package: str) -> list[str]:
    """The fastquiz modules a source file imports (for `from . import x`, the candidate `package.x`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0]
            found += [f"{base}.{node.module}"] if node.module else [f"{base}.{a.name}" for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fastquiz"):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("fastquiz")]
    return found


def _reads_source(*modules: ModuleType | None) -> bool:
    """Whether any function of the check modules asks `student` for the answer's source."""
    def codes(code: CodeType):
        yield code
        for const in code.co_consts:
            if isinstance(const, CodeType):
                yield from codes(const)

    for module in filter(None, modules):
        for value in vars(module).values():
            function = getattr(value, "__wrapped__", value)  # hypothesis's @given keeps the test here
            if isinstance(function, FunctionType) and function.__module__ == module.__name__:
                if any(SOURCE_READERS & set(c.co_names) for c in codes(function.__code__)):
                    return True
    return False
