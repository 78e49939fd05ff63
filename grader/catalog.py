"""What the grader knows of each question before it runs anything: read from syntax trees only.

The controller plans with this (which answers may share a worker), and a task tells each worker
from it which fastquiz modules it may load and read; the runner reads the questions once and hands
them to its tasks with the run (`describe`, `adopt`). Nothing here imports a check module, a hidden
check or torch: the checks themselves are collected by pytest, in the tasks (see `plugin.py`).

A worker serves the answers of one submission whose questions have the same *import set*: the
fastquiz names their stubs give them and the fastquiz modules whose objects their checks send.
An answer may import only the names its own stub gives (`worker._ImportGuard`), but once a module
is loaded in a worker every answer there can reach it through `sys.modules`: so answers share a
worker only where they may load the same modules anyway. A question's rules about how code is
written are judged from its file, in the checks' process, and its behaviour from the worker: a
worker shared by one student's answers mixes that student's code and no one else's.
"""
from __future__ import annotations

import ast
import functools
import importlib.util
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import exercises
from .question import Part, Question, read_question
from .sandbox import module_rules

STUBS_DIR = Path(exercises.__file__).parent


@dataclass(frozen=True)
class QuestionInfo:
    question: Question
    given: dict[str, list[str]]  # fastquiz module -> the names the stub imports from it

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def module(self) -> str:
        return self.question.module

    @property
    def sends(self) -> tuple[str, ...]:
        return tuple(self.question.sends)

    @property
    def import_set(self) -> tuple:
        """What its worker may load: questions with the same set may share one."""
        return tuple(sorted((module, tuple(sorted(names))) for module, names in self.given.items())), \
            tuple(sorted(self.sends))

    @functools.cached_property
    def loadable(self) -> list[str]:
        """The fastquiz modules its worker may load: those given and sent, with what they import."""
        return module_closure([*self.given, *given_modules(self.given), *self.sends])


def questions(modules: list[str]) -> list[QuestionInfo]:
    """The named questions (check module names), in that order."""
    return [_info(name) for name in modules]


_known: dict[str, QuestionInfo] = {}  # by check module: read once per process, or handed over (`adopt`)


def _info(module: str) -> QuestionInfo:
    if module not in _known:
        stub = (STUBS_DIR / f"{module}.py").read_text(encoding="utf-8")
        _known[module] = QuestionInfo(read_question(module), given_names(stub))
    return _known[module]


def describe(infos: list[QuestionInfo]) -> dict[str, dict[str, Any]]:
    """Questions as plain data, by check module: what the runner hands its tasks with the run
    (`RunConfig.questions`), so that they need not read the check modules and stubs again."""
    return {info.module: {"question": asdict(info.question), "given": info.given} for info in infos}


def adopt(described: dict[str, dict[str, Any]]) -> None:
    """Take questions as `describe` gave them (read by the runner) as this process's own."""
    for module, data in described.items():
        fields = data["question"]
        question = Question(**{**fields, "sends": tuple(fields["sends"]),
                               "parts": [Part(**part) for part in fields["parts"]]})
        _known[module] = QuestionInfo(question, {name: list(given) for name, given in data["given"].items()})


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


@functools.cache
def _imports(path: Path, package: str) -> list[str]:
    """The fastquiz modules a source file imports (for `from . import x`, the candidate `package.x`),
    read once per process: many questions' workers load the same reference modules."""
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
