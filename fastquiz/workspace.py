"""A student's workspace: a folder of answer files, marked so that fastquiz finds it from any subfolder.

    my-answers/
      .fastquiz/workspace.json   the marker (fastquiz's version, when it was made)
      .fastquiz/backups/         what `fastquiz reset` replaced
      .fastquiz/results.json     the last result of each question, with the hash of the file it graded
      q01_....py ... r2_....py   the answers, first copied from the stubs
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from importlib import resources
from pathlib import Path

from . import __version__
from .errors import FastquizError
from .files import write_atomic
from .grader.results import QuestionResult

MARKER_DIR = ".fastquiz"
MARKER = "workspace.json"
RESULTS = "results.json"
BACKUPS = "backups"


def answer_files(folder: Path) -> list[Path]:
    """The question files in a folder (q01_... to r2_...), sorted."""
    return sorted(p for p in Path(folder).glob("[qr][0-9]*.py"))


def stubs_dir() -> Path:
    return Path(str(resources.files("fastquiz.exercises")))


def solutions_dir() -> Path:
    return Path(str(resources.files("fastquiz.solutions")))


def answer_key_paths() -> list[str]:
    """Where copies of the model answers live, for grade mode to hide from workers: the installed
    solutions, and in a source checkout its history, tests (with their variants) and build output."""
    solutions = solutions_dir()
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
    (scratch / MARKER).write_text(json.dumps({"fastquiz": __version__, "created": time.strftime("%Y-%m-%d %H:%M:%S")}))
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
    if not answer.exists():
        return None
    backups = Path(workspace) / MARKER_DIR / BACKUPS
    backups.mkdir(parents=True, exist_ok=True)
    backup = backups / f"{module}.{time.strftime('%Y%m%d-%H%M%S')}.py"
    n = 1
    while backup.exists():
        n += 1
        backup = backups / f"{module}.{time.strftime('%Y%m%d-%H%M%S')}-{n}.py"
    shutil.copy2(answer, backup)
    return backup


def find_workspace(start: Path) -> Path:
    """The workspace that holds `start`: the nearest folder at or above it with the marker,
    else `start` itself when it holds answer files."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER_DIR / MARKER).is_file():
            return folder
    if answer_files(start):
        return start
    raise FastquizError(f"{start} is not in a fastquiz workspace: run `fastquiz init DIR`, or pass --workspace")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def save_results(workspace: Path, modules: list[str], results: list[QuestionResult]) -> None:
    """Remember each result with the hash of the file it graded (marked workspaces only)."""
    marker = Path(workspace) / MARKER_DIR
    if not marker.is_dir():
        return
    cache = _read_cache(marker)
    for module, result in zip(modules, results):
        cache[module] = {"sha256": _digest(Path(workspace) / f"{module}.py"), "result": result.as_dict()}
    write_atomic(marker / RESULTS, json.dumps(cache))


def cached_results(workspace: Path) -> dict[str, QuestionResult]:
    """The remembered results whose file has not changed since it was graded."""
    cache = _read_cache(Path(workspace) / MARKER_DIR)
    return {
        module: QuestionResult.from_dict(entry["result"])
        for module, entry in cache.items()
        if entry["sha256"] == _digest(Path(workspace) / f"{module}.py")
    }


def _read_cache(marker: Path) -> dict:
    try:
        return json.loads((marker / RESULTS).read_text())
    except (OSError, ValueError):
        return {}  # no cache yet, or a damaged one: grading again is always safe
