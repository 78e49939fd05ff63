"""Lay this checkout out as the installed package, in symlinks: `fastquiz/` with each folder of
pyproject.toml's [tool.setuptools.package-dir] linked in under its import name.

    python scripts/link_package.py DEST     # then: PYTHONPATH=DEST python -m fastquiz ...

For a machine where `pip install -e .` is not possible (scripts/gpu_check.sh's fallback) and for
tools that read the package by its import name (mypy, in .ci/run). Prints DEST.
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def link_package(dest: Path) -> Path:
    """DEST/fastquiz, with fastquiz/'s own files and each mapped folder (reference/, grader/ ...) linked in."""
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    top = dest / "fastquiz"
    top.mkdir(parents=True)
    for entry in (ROOT / mapping["fastquiz"]).iterdir():
        if entry.name != "__pycache__":
            (top / entry.name).symlink_to(entry)
    for name, folder in mapping.items():
        parts = name.split(".")[1:]
        link = top.joinpath(*parts) if parts else top
        if parts and not link.exists():  # a subpackage inside another mapped folder (grader/checks) is there already
            link.symlink_to(ROOT / folder)
    return dest


if __name__ == "__main__":
    print(link_package(Path(sys.argv[1])))
