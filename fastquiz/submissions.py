"""Submissions for `fastquiz grade`: folders or zips, unpacked safely into a scratch area.

Each submission is copied (or unpacked) into a folder of its own under the grader's
private scratch folder, so that grading never reads or writes the original. Problems are reported per submission, never raised, so one bad submission
leaves the others to be graded as usual.
"""
from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .workspace import answer_files

MAX_UNPACKED_BYTES = 50 << 20


@dataclass
class Submission:
    name: str
    source: Path
    workspace: Path | None = None  # where it was copied; None when it can't be graded
    problem: str = ""


def prepare(sources: list[Path], scratch: Path) -> list[Submission]:
    """Copy or unpack each submission under `scratch`; report the ones that can't be graded."""
    submissions, seen = [], set()
    for source in sources:
        name = source.name.removesuffix(".zip")
        submission = Submission(name, source)
        submissions.append(submission)
        if name in seen:
            submission.problem = f"another submission is also named {name!r}: rename one and grade it again"
            continue
        seen.add(name)
        target = scratch / name
        try:
            submission.problem = _copy(source, target)
        except shutil.Error as error:  # copytree's list of (source, target, reason), one per file it could not copy
            unreadable = Path(error.args[0][0][0]).relative_to(source)
            submission.problem = (f"can't read {unreadable} in it (a broken link, a pipe or an unreadable file): "
                                  "remove it or make it readable")
        except OSError as error:
            submission.problem = f"can't read it ({error.strerror or error}): check its permissions"
        if not submission.problem:
            root = _workspace_root(target)
            if root is None:
                submission.problem = "holds no exercise files (q01_....py): is it a fastquiz workspace?"
            else:
                submission.workspace = root
    return submissions


def _copy(source: Path, target: Path) -> str:
    """'' when copied, else what is wrong."""
    if not source.exists():
        return "does not exist"
    if source.is_dir():
        if not any(source.iterdir()):
            return "is an empty folder"
        shutil.copytree(source, target, symlinks=False, ignore=shutil.ignore_patterns(".fastquiz", "__pycache__"))
        return ""
    if source.suffix == ".zip" and source.is_file():
        return _unzip(source, target)
    return "is neither a folder nor a .zip file"


def _unzip(archive: Path, target: Path) -> str:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if not members:
                return "is an empty zip"
            for member in members:
                path = Path(member.filename)
                if path.is_absolute() or ".." in path.parts or (member.external_attr >> 16) & 0o170000 == 0o120000:
                    return f"the zip holds an unsafe entry {member.filename!r}: it was not unpacked"
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                return f"the zip unpacks to more than {MAX_UNPACKED_BYTES >> 20} MB: it was not unpacked"
            zf.extractall(target)
    except zipfile.BadZipFile:
        return "is not a valid zip file"
    return ""


def _workspace_root(folder: Path) -> Path | None:
    """The folder itself, or its only subfolder (zips often wrap a workspace in one), with answers."""
    if answer_files(folder):
        return folder
    inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__", "."))]
    return inner[0] if len(inner) == 1 and answer_files(inner[0]) else None
