"""Workspaces for the tests: folders of answer files copied from solutions/ or exercises/."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_workspace(folder: Path, source: str = "solutions", ids: tuple[str, ...] = ()) -> Path:
    """`folder` holding the answer files of ROOT/`source` (the model answers or the stubs):
    those of the question ids given, or all of them."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / source).glob("[qr][0-9]*.py")):
        if not ids or path.name.split("_", 1)[0] in ids:
            shutil.copy(path, folder)
    return folder
