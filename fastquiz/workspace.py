"""A student's workspace: a folder of answer files, marked so that fastquiz finds it from any subfolder.

    my-answers/
      .fastquiz/workspace.json   the marker (fastquiz's version, the question bank's, when it was made)
      .fastquiz/backups/         what `fastquiz reset` replaced, and answers as they were before a migration
      .fastquiz/results.json     the last result of each question, with the hash of the file it graded
      .fastquiz/hints.json       the hints that gave part of an answer away before an attempt needed them
      q01_....py ... r2_....py   the answers, first copied from the stubs

A workspace made with an older question bank is migrated when a command first uses it: what a
question's stub now asks for and the answer lacks is added at the end of the answer file (the
file as it was is kept in the backups), and each change is named with what to do.
"""
from __future__ import annotations

import ast
import hashlib
import json
import shutil
import textwrap
import time
from importlib import resources
from pathlib import Path

from . import __version__
from .errors import FastquizError
from .files import write_atomic
from .grader.question import BANK_VERSION, read_question
from .grader.results import QuestionResult

MARKER_DIR = ".fastquiz"
MARKER = "workspace.json"
RESULTS = "results.json"
HINTS = "hints.json"
BACKUPS = "backups"


def answer_files(folder: Path) -> list[Path]:
    """The question files in a folder (q01_... to r2_...), sorted."""
    return sorted(p for p in Path(folder).glob("[qr][0-9]*.py"))


def stubs_dir() -> Path:
    return Path(str(resources.files("fastquiz.exercises")))


# What a students' build (the fastquiz an export hands out: see `wheel.students_wheel`) says for them.
NO_MODEL_ANSWERS = "your instructor kept the model answers: this copy of fastquiz has none"


def solutions_dir() -> Path | None:
    """The model answers' folder; None in a students' build, which leaves them out."""
    try:
        return Path(str(resources.files("fastquiz.solutions")))
    except ModuleNotFoundError:
        return None


def model_answer(module: str) -> Path | None:
    """The model answer's file of a question module; None in a students' build."""
    solutions = solutions_dir()
    return solutions / f"{module}.py" if solutions is not None else None


def answer_key_paths() -> list[str]:
    """Where copies of the model answers live, for grade mode to hide from workers: the installed
    solutions, and in a source checkout its history, tests (with their variants) and build output;
    none in a students' build."""
    solutions = solutions_dir()
    if solutions is None:
        return []
    checkout = [solutions.parent / name for name in (".git", "tests", "build")]
    return [str(solutions), *(str(p) for p in checkout if p.exists())]


def workspace_files(folder: Path) -> list[Path]:
    """What `init_workspace` makes in `folder`: a copy of each stub, and the marker folder."""
    return [Path(folder) / stub.name for stub in answer_files(stubs_dir())] + [Path(folder) / MARKER_DIR]


def refuse_existing(folder: Path, targets: list[Path]) -> None:
    """A FastquizError naming the first targets that already exist, if any do."""
    clashes = [str(t.relative_to(folder)) for t in targets if t.exists()]
    if clashes:
        raise FastquizError(
            f"{folder} already has {', '.join(clashes[:3])}{' ...' if len(clashes) > 3 else ''}: "
            "nothing was changed; choose a new folder"
        )


def init_workspace(folder: Path) -> list[Path]:
    """Copy every stub into `folder` (created if needed) and mark it; refuse to overwrite anything."""
    folder = Path(folder)
    stubs = answer_files(stubs_dir())
    refuse_existing(folder, workspace_files(folder))
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / f"{MARKER_DIR}.partial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for stub in stubs:
        shutil.copyfile(stub, scratch / stub.name)
    (scratch / MARKER).write_text(json.dumps({"fastquiz": __version__, "bank": BANK_VERSION,
                                              "created": time.strftime("%Y-%m-%d %H:%M:%S")}))
    for stub in stubs:  # move the answers out, then the marker folder itself: no half-made workspace is ever marked
        (scratch / stub.name).rename(folder / stub.name)
    scratch.rename(folder / MARKER_DIR)
    return [folder / stub.name for stub in stubs]


def reset_answer(workspace: Path, module: str) -> Path | None:
    """Put the stub back, keeping the student's file in .fastquiz/backups; returns the backup."""
    backup = backup_answer(workspace, module)
    write_atomic(Path(workspace) / f"{module}.py", (stubs_dir() / f"{module}.py").read_bytes())
    return backup


def backup_answer(workspace: Path, module: str) -> Path | None:
    """A copy of the answer file in .fastquiz/backups, under a name of its own; None when there is no file."""
    answer = Path(workspace) / f"{module}.py"
    return _back_up(answer, module) if answer.exists() else None


def _back_up(answer: Path, label: str) -> Path:
    """A copy of the answer file in .fastquiz/backups, named by `label` and the time; never overwrites one."""
    backups = answer.parent / MARKER_DIR / BACKUPS
    backups.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup, n = backups / f"{label}.{stamp}.py", 1
    while backup.exists():
        n += 1
        backup = backups / f"{label}.{stamp}-{n}.py"
    shutil.copy2(answer, backup)
    return backup


def migrate(workspace: Path) -> list[str]:
    """Bring a marked workspace made with an older question bank up to this one; one line per change.

    An answer file that is still an untouched stub becomes the new stub. In any other, names its stub
    now defines and the file lacks (functions, given helpers, values to set, the imports they need)
    are added at its end, below the new task's text as comments. Either way the file as it was goes
    to the backups first. A file that does not parse is left as it is, and named."""
    marker = Path(workspace) / MARKER_DIR / MARKER
    try:
        info = json.loads(marker.read_text())
    except (OSError, ValueError):
        return []  # not a marked workspace (or a damaged marker): leave it alone
    old_bank = info.get("bank", 1)
    if old_bank >= BANK_VERSION:
        return []
    notes, refreshed = [], []
    for stub in answer_files(stubs_dir()):
        answer = Path(workspace) / stub.name
        qid, new_stub = stub.stem.split("_", 1)[0], stub.read_text(encoding="utf-8")
        if not answer.exists():
            shutil.copyfile(stub, answer)
            notes.append(f"{qid} is new: {answer.name} holds its stub")
            continue
        try:
            mine = answer.read_text(encoding="utf-8")
            untouched, added = _untouched(ast.parse(mine), ast.parse(new_stub)), _missing_from(mine, new_stub)
        except (SyntaxError, UnicodeDecodeError, ValueError):
            notes.append(f"{qid} may have changed in question bank {BANK_VERSION}, and {answer.name} does not parse: "
                         f"compare it with the new stub (`fastquiz reset {qid}` puts it in place and keeps your file)")
            continue
        if mine == new_stub or (not untouched and added is None):
            continue
        backup = _back_up(answer, f"{stub.stem}.bank{old_bank}").relative_to(workspace)
        if untouched:
            write_atomic(answer, stub.read_bytes())
            refreshed.append(qid)
        else:
            write_atomic(answer, mine.rstrip("\n") + "\n" + (added or ""))
            notes.append(f"{qid} changed in question bank {BANK_VERSION}: what it asks for now is at the end of "
                         f"{answer.name}, under the task's new text; your file as it was is in {backup}")
    if refreshed:
        notes.insert(0, f"the untouched stubs of {', '.join(refreshed)} are question bank {BANK_VERSION}'s now "
                        f"(the old ones are in {MARKER_DIR}/{BACKUPS})")
    write_atomic(marker, json.dumps({**info, "bank": BANK_VERSION}))
    return notes


def _missing_from(answer: str, stub: str) -> str | None:
    """What to add to an answer for the stub's task: None when nothing is missing, else the missing
    top-level code under the task's text, as comments."""
    stub_tree = ast.parse(stub)
    have = {name for node in ast.parse(answer).body for name in _names(node)}
    missing = [node for node in stub_tree.body if _names(node) and not _names(node) <= have]
    if not missing:
        return None
    lines = stub.splitlines()
    task = textwrap.indent(ast.get_docstring(stub_tree) or "", "# ", lambda line: True).replace("# \n", "#\n")
    blocks = ["\n\n# ---- Added by fastquiz: this question changed in question bank "
              f"{BANK_VERSION}. What it asks now:\n{task}"]
    for node in missing:
        start = node.lineno - 1
        while start > 0 and lines[start - 1].startswith("#"):  # the comment just above, such as "# Given: ..."
            start -= 1
        blocks.append("\n".join(lines[start:node.end_lineno]))
    return "\n\n\n".join(blocks) + "\n"


def _names(node: ast.stmt) -> set[str]:
    """The top-level names a statement defines (EXPLAIN aside: every answer has one)."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {alias.asname or alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)} - {"EXPLAIN"}
    return set()


def _untouched(tree: ast.Module, stub: ast.Module) -> bool:
    """Whether an answer is still a stub: functions that only raise NotImplementedError (or are the stub's
    own), values still None (or as the stub gives them), and no explanation written."""
    given = {name: ast.dump(node) for node in stub.body for name in _names(node)}
    for node in tree.body:
        names = _names(node)
        if names and all(given.get(name) == ast.dump(node) for name in names):
            continue
        if isinstance(node, ast.FunctionDef):
            body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
            if not (len(body) == 1 and isinstance(body[0], ast.Raise)):
                return False
        elif isinstance(node, ast.Assign) and not _blank(node.value):
            return False
    return True


def _blank(value: ast.expr) -> bool:
    """None, an empty explanation, or a dict of Nones: what a stub leaves for the student to fill in."""
    if isinstance(value, ast.Dict):
        return all(isinstance(v, ast.Constant) and v.value is None for v in value.values)
    return isinstance(value, ast.Constant) and (value.value is None or not str(value.value).strip())


def find_workspace(start: Path) -> Path | None:
    """The workspace that holds `start`: the nearest folder at or above it with the marker,
    else `start` itself when it holds answer files; None when there is none."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER_DIR / MARKER).is_file():
            return folder
    return start if answer_files(start) else None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def judged_on(modules: list[str]) -> dict[str, str]:
    """{module: the data it is judged on, in words} for the questions whose judgement depends on the data
    (research task 2: the full MNIST when it is downloaded). Loads the data layer: for after grading."""
    data = [m for m in modules if read_question(m).judged_on_mnist]
    if not data:
        return {}
    from .datasets import describe_mnist, mnist_for_grading

    return {m: describe_mnist(mnist_for_grading()) for m in data}


def save_results(workspace: Path, modules: list[str], results: list[QuestionResult],
                 judged_on: dict[str, str] | None = None) -> None:
    """Remember each result with the hash of the file it graded and the question bank that graded it, and
    for a question judged on data (research task 2) which data (marked workspaces only)."""
    marker = Path(workspace) / MARKER_DIR
    if not marker.is_dir():
        return
    cache = _read_json(marker / RESULTS)
    for module, result in zip(modules, results):
        entry = {"sha256": _digest(Path(workspace) / f"{module}.py"), "bank": BANK_VERSION, "result": result.as_dict()}
        if judged_on and module in judged_on:
            entry["judged_on"] = judged_on[module]
        cache[module] = entry
    write_atomic(marker / RESULTS, json.dumps(cache))


def cached_results(workspace: Path, judged_on: dict[str, str] | None = None) -> dict[str, QuestionResult]:
    """The remembered results whose file has not changed since this question bank graded it (and, for the
    modules in `judged_on`, that were judged on that data)."""
    cache = _read_json(Path(workspace) / MARKER_DIR / RESULTS)
    return {
        module: QuestionResult.from_dict(entry["result"])
        for module, entry in cache.items()
        if entry.get("sha256") == _digest(Path(workspace) / f"{module}.py") and entry.get("bank") == BANK_VERSION
        and (judged_on is None or module not in judged_on or entry.get("judged_on") == judged_on[module])
    }


def last_status(workspace: Path, module: str) -> str | None:
    """The status this question bank last gave the question's answer, changed since or not; None if never graded."""
    entry = _read_json(Path(workspace) / MARKER_DIR / RESULTS).get(module)
    if not isinstance(entry, dict) or entry.get("bank") != BANK_VERSION:
        return None
    return QuestionResult.from_dict(entry["result"]).status


def hints_opened_early(workspace: Path) -> dict[str, int]:
    """{module: the highest hint level opened before an attempt that does not pass}."""
    return _read_json(Path(workspace) / MARKER_DIR / HINTS)


def record_early_hint(workspace: Path, module: str, level: int) -> None:
    """Note that a hint giving part of the answer away was opened before an attempt needed it (the report shows it)."""
    marker = Path(workspace) / MARKER_DIR
    if not marker.is_dir():
        return
    opened = _read_json(marker / HINTS)
    opened[module] = max(level, opened.get(module, 0))
    write_atomic(marker / HINTS, json.dumps(opened))


def _read_json(path: Path) -> dict:
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}  # none yet, or a damaged one: grading again is always safe
    return found if isinstance(found, dict) else {}
