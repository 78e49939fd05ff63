"""An answer file as the grader reads it, without running it, and the ways an answer fails.

The controller reads every answer before anything runs (to tell a stub from an attempt, and
identical files apart), and the checks' process parses it for rules about how code is written:
both are trusted processes, so an answer is never read past MAX_ANSWER_BYTES, checked before a
byte is read. Nothing here imports torch.
"""
from __future__ import annotations

import ast
import os
import re
import stat
from pathlib import Path

MAX_ANSWER_BYTES = 128 << 10  # code: the longest model answer is 2 KB (parsing 128 KB can take 100 MB)
# Slow imports an answer's code sets off, by a word of its source that shows it may (see `libraries_for`).
SLOW_IMPORTS = {
    "matplotlib": ("matplotlib.figure", "matplotlib.backends.backend_agg"),  # 0.4 s
    "optim": ("torch._dynamo",),  # 1.2 s: torch.optim loads it as the answer builds its first optimiser
}
_SLOW_WORD = re.compile(r"\b(" + "|".join(SLOW_IMPORTS) + r")\b")


class NotAttempted(BaseException):
    """The student has not answered this part yet (a stub's placeholder is still there).

    Like the limits below, a BaseException: hypothesis then stops at once instead of
    trying ever smaller inputs on a part that can't pass."""


class StudentError(Exception):
    """The student's code can't be used: it does not load, raises, or lacks a name the question needs."""


class StudentLimit(BaseException):
    """The student's code ran past one of its limits."""


class StudentOutOfTime(StudentLimit):
    """The answer used up its CPU time, the wall-clock backstop, or the submission's budget."""


class StudentOutOfMemory(StudentLimit):
    """The worker asked for more memory than its limit."""


class NoWorker(StudentError):
    """The system refused the grader a process for this answer (out of process ids), time after time."""


def libraries_for(source: str) -> list[str]:
    """The slow-to-import libraries that an answer's code may use, found by a word of its source
    (`SLOW_IMPORTS`). The origin imports them before it forks the answer's worker, and keeps them
    for later workers: otherwise each worker would import them again, on the answer's CPU time."""
    return sorted({name for word in _SLOW_WORD.findall(source) for name in SLOW_IMPORTS[word]})


def answer_bytes(path: Path) -> bytes | None:
    """An answer file's bytes, None when it is missing; StudentError, before a byte is read, when it
    is larger than an answer may be (the grader's own processes parse it: that bounds their memory)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO in its place must not hold us
    except (FileNotFoundError, NotADirectoryError):
        return None
    with open(fd, "rb") as answer:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StudentError(f"{path.name} is not a file: save your answer in it")
        size = info.st_size
        data = answer.read(MAX_ANSWER_BYTES + 1) if size <= MAX_ANSWER_BYTES else b""
    if size > MAX_ANSWER_BYTES or len(data) > MAX_ANSWER_BYTES:
        raise StudentError(f"{path.name} is {max(size, len(data)) / 1024:,.0f} KB; an answer file may be at most "
                           f"{MAX_ANSWER_BYTES >> 10} KB: keep data out of it")
    return data


def read_answer(path: Path) -> str:
    """An answer file's text; StudentError when it is missing, too large or not UTF-8."""
    data = answer_bytes(path)
    if data is None:
        raise StudentError(f"{path.name} is missing from the workspace: copy the stub back from fastquiz's exercises")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StudentError(f"{path.name} is not UTF-8 text (byte {error.start}): save it as UTF-8") from None


def describe(error: BaseException) -> str:
    """`Type: message` on one line."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def parse(source: str, filename: str = "<answer>") -> ast.Module:
    """A student's source as a syntax tree; StudentError when it does not parse, or is too deeply
    nested for Python's parser (a RecursionError is the student's file, never the grader's)."""
    try:
        return ast.parse(source, filename)
    except SyntaxError as error:
        raise StudentError(f"SyntaxError: {error.msg} ({filename}:{error.lineno})") from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise StudentError(f"{filename} is too deeply nested for Python to read ({describe(error)}): "
                           "simplify it") from None


def walk(node: ast.AST) -> list[ast.AST]:
    """`node` and every node below it, as `ast.walk` gives them (breadth first), as a list and in a
    third of the time: the checks and the class page's similarity walk every answer, many times."""
    found = [node]
    for current in found:  # the list grows as it is read: each node's children join its end
        for field in current._fields:
            value = getattr(current, field, None)
            if isinstance(value, list):
                found += [item for item in value if isinstance(item, ast.AST)]
            elif isinstance(value, ast.AST):
                found.append(value)
    return found


def same_code(source: str, code: ast.Module) -> bool:
    """Whether `source` holds the code of the syntax tree `code` (a stub's, say): the same tree once
    docstrings and the EXPLAIN text are set aside, whatever its comments and layout. False where
    `source` does not parse (or is too deeply nested to compare). The comparison stops at the first
    difference: most answers differ from their stub early."""
    try:
        return _same(ast.parse(source), code)
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return False


def _same(a: object, b: object) -> bool:
    """Two parts of syntax trees alike, field by field, as `ast.dump` would print them (values by
    their repr: 1 and 1.0 differ), statements that are only text left out of every body."""
    if isinstance(a, ast.AST):
        if type(a) is not type(b):
            return False
        for name in a._fields:
            mine, theirs = getattr(a, name, None), getattr(b, name, None)
            if name == "body" and isinstance(mine, list) and isinstance(theirs, list):
                mine, theirs = _code_statements(mine), _code_statements(theirs)
            if not _same(mine, theirs):
                return False
        return True
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and repr(a) == repr(b)


def _code_statements(body: list) -> list:
    """A body without its docstrings (any statement that is only a string) and EXPLAIN = ... text."""
    return [n for n in body
            if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))
            and not (isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "EXPLAIN" for t in n.targets))]


def is_stub_body(node: ast.FunctionDef | ast.ClassDef) -> bool:
    """A body that only raises NotImplementedError (after an optional docstring)."""
    body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    return len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in ast.dump(body[0])
