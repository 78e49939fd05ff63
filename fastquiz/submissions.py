"""Submissions for `fastquiz grade`: folders or zips, copied or unpacked into a scratch area.

Each submission is copied (or unpacked) into a folder of its own under the grader's private
scratch folder, named by its position, never by its name, so that grading never reads or
writes the original and nothing lands outside that folder. Problems are reported per
submission, never raised, so one bad submission leaves the others to be graded as usual.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .names import display_name
from .unpack import Refused, copy_folder, unzip
from .workspace import answer_files


@dataclass
class Submission:
    name: str                       # printable, and distinct for distinct sources
    source: Path
    workspace: Path | None = None   # where it was copied; None when it can't be graded
    problem: str = ""


def prepare(sources: list[Path], scratch: Path) -> list[Submission]:
    """Copy or unpack each submission under `scratch`; report the ones that can't be graded."""
    submissions, seen = [], set()
    for index, source in enumerate(sources):
        submission = Submission(submission_name(source), source)
        submissions.append(submission)
        if submission.name in seen:
            submission.problem = (f"another submission is also named {submission.name!r}: "
                                  "rename one and grade it again")
            continue
        seen.add(submission.name)
        target = scratch / str(index)
        try:
            submission.workspace = _workspace_root(_copy(source, target))
        except Refused as refusal:
            submission.problem = str(refusal)
            shutil.rmtree(target, ignore_errors=True)  # its disk space back now, not at the end
    return submissions


def submission_name(source: Path) -> str:
    """The name a submission goes by: its folder's or zip's name, less .zip, as printable text."""
    name = Path(os.path.abspath(source)).name or str(source)  # '.' and '..' go by the folder's own name
    stem = name[:-len(".zip")] if is_zip(Path(name)) else name
    return display_name(stem or name)


def is_zip(path: Path) -> bool:
    """Whether `path` is named as a zip (any case)."""
    return path.name.lower().endswith(".zip")


def _copy(source: Path, target: Path) -> Path:
    """`target`, once `source` is copied there."""
    try:
        if source.is_dir():
            copy_folder(source, target)
        elif is_zip(source) and source.is_file():
            unzip(source, target)
        elif source.exists():
            raise Refused("is neither a folder nor a .zip file")
        else:
            raise Refused("does not exist")
    except OSError as error:
        raise Refused(f"can't read it ({error.strerror or error}): check its path and permissions") from None
    return target


def _workspace_root(folder: Path) -> Path:
    """The folder itself, or its only subfolder (zips often wrap a workspace in one), with answers."""
    if folder.is_dir():
        if answer_files(folder):
            return folder
        inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__", "."))]
        if len(inner) == 1 and answer_files(inner[0]):
            return inner[0]
    raise Refused("holds no exercise files (q01_....py): is it a fastquiz workspace?")
