"""A student's workspace: a folder of answer files, marked so that fastquiz finds it from any subfolder.

    my-answers/
      .fastquiz/workspace.json   the marker (fastquiz's version, when it was made)
      .fastquiz/backups/         what `fastquiz reset` replaced
      q01_....py ... r2_....py   the answers, first copied from the stubs
"""
from __future__ import annotations

import json
import shutil
import time
from importlib import resources
from pathlib import Path

from . import __version__
from .errors import FastquizError

MARKER_DIR = ".fastquiz"
MARKER = "workspace.json"


def answer_files(folder: Path) -> list[Path]:
    """The question files in a folder (q01_... to r2_...), sorted."""
    return sorted(p for p in Path(folder).glob("[qr][0-9]*.py"))


def stubs_dir() -> Path:
    return Path(str(resources.files("fastquiz.exercises")))


def solutions_dir() -> Path:
    return Path(str(resources.files("fastquiz.solutions")))


def init_workspace(folder: Path) -> list[Path]:
    """Copy every stub into `folder` (created if needed) and mark it; refuse to overwrite anything."""
    folder = Path(folder)
    stubs = answer_files(stubs_dir())
    targets = [folder / stub.name for stub in stubs] + [folder / MARKER_DIR]
    clashes = [t.name for t in targets if t.exists()]
    if clashes:
        raise FastquizError(
            f"{folder} already has {', '.join(clashes[:3])}{' ...' if len(clashes) > 3 else ''}: "
            "nothing was changed; choose a new folder"
        )
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
