"""The one seam between the checks and a student's code.

Checks never import a student's module: they ask the `student` fixture for what they
need, by name, and get back plain functions, values or classes. Everything about how
the student's file is loaded lives here, so that it can move elsewhere (another
process) without touching a single check.
"""
from __future__ import annotations

import ast
import importlib.util
import sys
import traceback
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any, Callable

PLACEHOLDERS = (None, Ellipsis)


class NotAttempted(Exception):
    """The student has not answered this part yet (a stub's placeholder is still there)."""


class StudentError(Exception):
    """The student's code can't be used: it does not load, or lacks a name the question needs."""


class Student:
    """A student's answer to one question: the file, its source, and its names."""

    def __init__(self, path: Path, module: ModuleType):
        self.path, self._module = path, module
        self.source = path.read_text(encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Student":
        """Run the student's file as a fresh module; StudentError if it can't be run."""
        if not path.is_file():
            raise StudentError(f"{path.name} is missing from the workspace: copy the stub back from fastquiz's exercises")
        spec = importlib.util.spec_from_file_location(f"student_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except SyntaxError as error:
            raise StudentError(f"SyntaxError: {error.msg} ({path.name}:{error.lineno})") from None
        except BaseException as error:  # noqa: BLE001 (sys.exit at import is the student's bug too)
            raise StudentError(f"{describe(error)} while loading {path.name}{where(error.__traceback__, path)}") from None
        sys.modules.pop(spec.name, None)
        return cls(path, module)

    def function(self, name: str) -> Callable:
        """The student's function `name`."""
        found = self._get(name)
        if not callable(found):
            raise StudentError(f"{name} in {self.path.name} should be a function, not {type(found).__name__}")
        return found

    def cls(self, name: str) -> type:
        """The student's class `name`."""
        found = self._get(name)
        if not isinstance(found, type):
            raise StudentError(f"{name} in {self.path.name} should be a class, not {type(found).__name__}")
        return found

    def value(self, name: str) -> Any:
        """The value the student gave `name`; NotAttempted while it is still the stub's placeholder."""
        found = self._get(name)
        if any(found is p for p in PLACEHOLDERS):
            raise NotAttempted(f"{name} is not answered yet")
        return found

    def definition(self, name: str) -> ast.FunctionDef | ast.ClassDef:
        """The syntax tree of the student's function or class `name`, for checks of how it is written.

        NotAttempted while its body is still the stub's `raise NotImplementedError`."""
        for node in ast.walk(ast.parse(self.source)):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                if _is_stub_body(node):
                    raise NotAttempted(f"{name} is not written yet")
                return node
        raise StudentError(f"{self.path.name} has no {name}: keep the names the stub defines")

    def _get(self, name: str) -> Any:
        try:
            return getattr(self._module, name)
        except AttributeError:
            raise StudentError(f"{self.path.name} has no {name}: keep the names the stub defines") from None


def same_code(source: str, stub: str) -> bool:
    """True when two sources differ only in docstrings, comments, layout and the EXPLAIN text."""
    return _code_only(source) == _code_only(stub)


def _code_only(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            node.body = [
                n for n in body
                if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))
                and not (isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "EXPLAIN" for t in n.targets))
            ]
    return ast.dump(tree)


def _is_stub_body(node: ast.FunctionDef | ast.ClassDef) -> bool:
    """A body that only raises NotImplementedError (after an optional docstring)."""
    body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in ast.dump(body[0])


def describe(error: BaseException) -> str:
    """`Type: message` on one line."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def where(tb: TracebackType | None, path: Path) -> str:
    """` (file:line)` of the innermost frame in the student's file, or ''."""
    frames = [f for f in traceback.extract_tb(tb) if Path(f.filename) == path]
    return f" ({path.name}:{frames[-1].lineno})" if frames else ""

