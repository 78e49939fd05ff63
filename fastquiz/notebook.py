"""A workspace's notebook: writing it, reading its answer cells, and saving them as answer files.

The notebook (`fastquiz.ipynb`) opens with a set-up cell, then holds, for each question, a
markdown cell with the prompt (the stub's docstring) and a code cell with the answer:

    %%fastquiz q04
    def double_odds(numbers: list[int]) -> list[int]:
        ...

An answer file is its *head* (the docstring, with the blank lines after it) and its *body*
(the rest): the cell holds the body, and saving a cell puts the file's own head back above
it, so line L of the file is line L - head + 1 of the cell (the magic's line is line 1).
A cell that starts with a docstring of its own (a whole file pasted in) is the whole file.

Nothing here imports torch or the grader: the notebook's kernel uses this module too.
"""
from __future__ import annotations

import ast
import hashlib
import io
import json
import re
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FastquizError
from .files import write_atomic
from .names import display_name
from .workspace import MARKER_DIR, answer_files, backup_answer, stubs_dir

SUFFIX = ".ipynb"
NOTEBOOK = f"fastquiz{SUFFIX}"
MAGIC = "%%fastquiz"
SAVED = "notebook.json"  # in the marker folder: the hash of each answer file as the notebook last left it


class NotebookError(FastquizError):
    """A notebook that can't be read for answers; the message is one line."""


@dataclass
class Answers:
    """The answer cells of a notebook: each question's code (its last cell), and what to say about them."""

    path: Path
    bodies: dict[str, str]  # module -> the cell's code below the magic
    notes: list[str] = field(default_factory=list)


@dataclass
class Saved:
    """What saving a cell did: the file, the lines above the cell's code in it, and what to tell the student."""

    path: Path
    head_lines: int
    note: str = ""
    checked_file: bool = False  # the cell was not saved: the file (newer work) is what gets checked

    def in_cell(self, message: str) -> str:
        """A grader's message with the file's `(q04_....py:L)` turned into the cell's own line (the
        magic's line is line 1), where the cell was saved as that file."""
        if self.checked_file:
            return message

        def cell_line(match: re.Match) -> str:
            line = int(match[1]) - self.head_lines + 1
            return f"(line {line} of the cell)" if line >= 2 else match[0]

        message = re.sub(rf"\({re.escape(self.path.name)}:(\d+)\)", cell_line, message)
        return message.replace(f" while loading {self.path.name}", " while running the cell")


# -- questions -----------------------------------------------------------------------------------
def modules() -> dict[str, str]:
    """Every question's module name by id (q04 -> q04_list_comprehension), in order, from the stubs."""
    return {path.stem.split("_", 1)[0]: path.stem for path in answer_files(stubs_dir())}


def module_for(question: str) -> str:
    """The module of a question id as typed (q4, Q04, r1); NotebookError when it names none."""
    key = question.strip().lower()
    if key[:1] == "q" and key[1:].isdigit():
        key = f"q{int(key[1:]):02d}"
    found = modules().get(key)
    if found is None:
        raise NotebookError(f"no question {question.strip()!r}: ids are q01-q37, r1 and r2")
    return found


def is_notebook(path: Path) -> bool:
    """Whether `path` is named as a Jupyter notebook (any case)."""
    return path.name.lower().endswith(SUFFIX)


def _stub(module: str) -> str:
    return (stubs_dir() / f"{module}.py").read_text(encoding="utf-8")


# -- heads and bodies ----------------------------------------------------------------------------
def head_lines(source: str) -> int:
    """How many first lines of `source` are its docstring (with any comments above it) and the blank
    lines after it; 0 when it does not start with a docstring."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    try:
        first = next(t for t in tokens if t.type not in (tokenize.COMMENT, tokenize.NL))
        after = next(tokens)
    except (tokenize.TokenError, SyntaxError, StopIteration):
        return 0
    if first.type != tokenize.STRING or after.type not in (tokenize.NEWLINE, tokenize.ENDMARKER):
        return 0
    lines, end = source.splitlines(), first.end[0]
    while end < len(lines) and not lines[end].strip():
        end += 1
    return end


def body_of(source: str) -> str:
    """The code of an answer file below its head: what its notebook cell shows."""
    return "".join(source.splitlines(keepends=True)[head_lines(source):]).rstrip() + "\n"


def compose(body: str, current: str) -> tuple[str, int]:
    """The answer file for a cell's `body`, with the head of `current` (the file as it is, or the
    stub) above it unless the body has a docstring of its own; and how many lines that head has."""
    body = body.rstrip() + "\n"
    if head_lines(body):
        return body, 0
    head = "".join(current.splitlines(keepends=True)[:head_lines(current)])
    return head + body, head.count("\n")


def _is_stub_body(module: str, body: str) -> bool:
    return body.strip() == body_of(_stub(module)).strip()


# -- writing a notebook --------------------------------------------------------------------------
def build(workspace: Path, package: str = "fastquiz") -> dict:
    """The notebook of a workspace: the set-up cell, then each question's prompt and its current answer.

    `package`: what pip installs fastquiz from where it is missing (Colab): a name, a wheel's URL."""
    cells = [_markdown("intro", _INTRO), _code("setup", _SETUP.format(package=json.dumps(package)))]
    for qid, module in modules().items():
        path = Path(workspace) / f"{module}.py"
        source = path.read_text(encoding="utf-8") if path.is_file() else _stub(module)
        cells += [_markdown(f"{qid}-prompt", _prompt(_stub(module))),
                  _code(f"{qid}-answer", f"{MAGIC} {qid}\n{body_of(source)}")]
    cells += [_markdown("report-intro", _OUTRO), _code("report", "fastquiz.show_report()\n")]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                         "language": "python"},
                                          "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def write(workspace: Path, path: Path | None = None, package: str = "fastquiz") -> Path:
    """Write the workspace's notebook (default: fastquiz.ipynb in it), never over an existing file,
    and remember each answer file as the notebook holds it."""
    workspace = Path(workspace)
    path = _write_new(Path(path) if path is not None else workspace / NOTEBOOK, build(workspace, package))
    saved = _read_saved(workspace)
    saved.update({m: _digest(workspace / f"{m}.py") for m in modules().values()})
    _write_saved(workspace, saved)
    return path


def write_starter(path: Path, package: str = "fastquiz") -> Path:
    """Write the notebook of the stubs at `path` (an instructor's starter file), never over an existing file."""
    return _write_new(Path(path), build(stubs_dir(), package))


def _write_new(path: Path, notebook: dict) -> Path:
    if path.exists():
        raise FastquizError(f"{path} already exists: nothing was changed; move it away, or write the notebook "
                            "elsewhere with `fastquiz notebook --out NEW.ipynb`")
    write_atomic(path, json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
    return path


def _markdown(cell_id: str, text: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text.splitlines(keepends=True)}


def _code(cell_id: str, text: str) -> dict:
    return {"cell_type": "code", "id": cell_id, "metadata": {}, "execution_count": None, "outputs": [],
            "source": text.rstrip("\n").splitlines(keepends=True)}


def _prompt(stub: str) -> str:
    """The stub's docstring as markdown: its first line as a heading, the rest as it is."""
    title, _, rest = (ast.get_docstring(ast.parse(stub)) or "").partition("\n")
    return f"### {title}\n\n{rest.strip()}\n"


_INTRO = """\
# fastquiz: chapter 4's exercises

Run the set-up cell first. Then, for each question, write your answer in the cell under its
prompt and run it (Shift+Enter): the cell saves your code as that question's answer file and
checks it at once. `fastquiz.hint("q04")` gives a hint; the last cell shows your report.
"""

_SETUP = """\
# Set-up: installs fastquiz where it is missing (on Colab, keeping Colab's own torch),
# then loads the %%fastquiz cell magic.
import importlib.metadata, importlib.util, subprocess, sys
if importlib.util.find_spec("fastquiz") is None:
    keep = [f"torch=={{importlib.metadata.version('torch')}}"] if importlib.util.find_spec("torch") else []
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", {package}, *keep], check=True)
import fastquiz
%load_ext fastquiz
"""

_OUTRO = """\
## Your report

Your score, what is left to fix, and plots drawn by your own code.
"""


# -- reading a notebook --------------------------------------------------------------------------
def read(path: Path) -> Answers:
    """The answer cells of the notebook at `path`; NotebookError (one line) when it is not a
    notebook or holds no `%%fastquiz` cell."""
    path = Path(path)
    try:
        cells = json.loads(path.read_bytes())["cells"]
        sources = [(c.get("source", ""), c.get("cell_type")) for c in cells]
        sources = [("".join(s) if isinstance(s, list) else s, kind) for s, kind in sources]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise NotebookError(f"{display_name(path.name)} is not a Jupyter notebook (not valid JSON with cells): "
                            "save it again from Jupyter") from None
    answers, counts = Answers(path, {}), Counter[str]()
    for source, kind in sources:
        first, _, body = source.partition("\n")
        words = first.split()
        if kind != "code" or not words or words[0] != MAGIC:
            continue
        try:
            module = module_for(words[1] if len(words) > 1 else "")
        except NotebookError as error:
            answers.notes.append(f"{display_name(path.name)}: {error.message}: left out")
            continue
        counts[module] += 1
        answers.bodies[module] = body.encode("utf-8", "replace").decode("utf-8")  # JSON may hold lone surrogates
    answers.notes += [f"{display_name(path.name)} has {n} cells for {module.split('_', 1)[0]}: the last one is used"
                      for module, n in counts.items() if n > 1]
    if not answers.bodies:
        raise NotebookError(f"{display_name(path.name)} has no answer cells ({MAGIC} q01 ...): hand in the "
                            "notebook that `fastquiz notebook` made, with your answers in its cells")
    return answers


def find(folder: Path) -> tuple[Answers | None, list[str]]:
    """The answers of the one notebook in `folder` (not its subfolders) with answer cells, or None, and
    a note for each other notebook there, left out. NotebookError when several have answer cells, or
    when the folder holds no answer files and its only notebook can't be read."""
    notebooks = sorted(p for p in Path(folder).iterdir() if is_notebook(p) and p.is_file() and p.name[0] != ".")
    found, problems = [], []
    for path in notebooks:
        try:
            found.append(read(path))
        except NotebookError as error:
            problems.append(error.message)
    if len(found) > 1:
        raise NotebookError(f"holds {len(found)} notebooks with answer cells "
                            f"({', '.join(display_name(a.path.name) for a in found)}): hand in one")
    if not found and len(problems) == 1 and not answer_files(folder):
        raise NotebookError(problems[0])
    return (found[0] if found else None), [f"{problem}: left out" for problem in problems]


def unpack(answers: Answers, folder: Path) -> list[str]:
    """Write the notebook's answers as answer files in `folder` (a submission's scratch copy), the cells
    winning over the files there, except a cell still holding the stub; the notes to show."""
    replaced = []
    for module, body in answers.bodies.items():
        path = Path(folder) / f"{module}.py"
        if path.exists() and not path.is_file():
            raise NotebookError(f"{path.name} in it is a folder, and {display_name(answers.path.name)} has an answer "
                                "for it: remove the folder")
        current = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
        if current is not None and _is_stub_body(module, body):
            continue
        text, _ = compose(body, current if current is not None else _stub(module))
        if text != current:
            if current is not None:
                replaced.append(path.name)
            write_atomic(path, text)
    return [f"answers read from {display_name(answers.path.name)}", *answers.notes,
            *([f"its cells replaced {_listed(replaced)}, which differed"] if replaced else [])]


def _listed(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


# -- saving a cell in a workspace ----------------------------------------------------------------
def save(workspace: Path, module: str, body: str) -> Saved:
    """Save a cell's code as the workspace's answer file, never losing work: a file changed since the
    notebook last saved it (in an editor, say) is kept in .fastquiz/backups first, and a cell that
    still holds the stub never replaces a file with other code (that file is checked instead)."""
    workspace = Path(workspace)
    path = workspace / f"{module}.py"
    stub = _stub(module)
    current = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    text, head = compose(body, current if current is not None else stub)
    saved = _read_saved(workspace)
    if text == current:
        note = ""
    elif current is None or current == stub or saved.get(module) == _digest(path):
        write_atomic(path, text)
        note = ""
    elif _is_stub_body(module, body):
        return Saved(path, head, f"this cell still holds the stub, and {path.name} has other code (written "
                                 "elsewhere): the file was checked; `fastquiz notebook --out NEW.ipynb` "
                                 "makes a notebook with it", checked_file=True)
    else:
        backup = backup_answer(workspace, module)
        assert backup is not None  # the file is there: it has changed
        write_atomic(path, text)
        note = (f"{path.name} had changes made outside this notebook: they are kept in "
                f"{backup.relative_to(workspace)}; the cell's code is saved now")
    saved[module] = _digest(path)
    _write_saved(workspace, saved)
    return Saved(path, head, note)


def apply(workspace: Path) -> list[str]:
    """Save the answer cells of the workspace's notebook, if it has one, as `save` does each: what to
    say about it (nothing when there is no notebook)."""
    answers, notes = find(workspace)
    if answers is None:
        return notes
    notes += [f"answers read from {display_name(answers.path.name)}'s cells", *answers.notes]
    for module, body in answers.bodies.items():
        if note := save(workspace, module, body).note:
            notes.append(note)
    return notes


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _read_saved(workspace: Path) -> dict[str, str]:
    try:
        saved = json.loads((workspace / MARKER_DIR / SAVED).read_text())
        return saved if isinstance(saved, dict) else {}
    except (OSError, ValueError):
        return {}  # none yet, or damaged: every file then counts as changed elsewhere, and is backed up


def _write_saved(workspace: Path, saved: dict[str, str]) -> None:
    (workspace / MARKER_DIR).mkdir(exist_ok=True)
    write_atomic(workspace / MARKER_DIR / SAVED, json.dumps(saved, indent=1))
