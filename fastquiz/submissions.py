"""Submissions for `fastquiz grade`: folders, zips or notebooks, copied or unpacked into a scratch area.

Each submission is copied (or unpacked) into a folder of its own under the grader's private
scratch folder, named by its position, never by its name, so that grading never reads or
writes the original and nothing lands outside that folder. A notebook's answer cells, in a
submission of its own or in a folder or zip, become answer files there (`notebook.unpack`).
Problems are reported per submission, never raised, so one bad submission leaves the others
to be graded as usual.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import notebook
from .grader import tree
from .names import display_name
from .unpack import Refused, copy_file, copy_folder, unzip
from .workspace import answer_files



@dataclass
class Submission:
    name: str                       # printable, and distinct for distinct sources
    source: Path
    workspace: Path | None = None   # where it was copied; None when it can't be graded
    problem: str = ""
    note: str = ""                  # what to say about a graded one (answers read from a notebook)


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
            root = _workspace_root(_copy(source, target))
            submission.note = _unpack_notebook(root)
            submission.workspace = root
        except Refused as refusal:
            submission.problem = str(refusal)
            tree.remove(str(target))  # its disk space back now, not at the end
    return submissions


def submission_name(source: Path) -> str:
    """The name a submission goes by: its folder's, zip's or notebook's name, less .zip or .ipynb, as printable text."""
    name = Path(os.path.abspath(source)).name or str(source)  # '.' and '..' go by the folder's own name
    suffix = ".zip" if is_zip(Path(name)) else notebook.SUFFIX if notebook.is_notebook(Path(name)) else ""
    stem = name[:len(name) - len(suffix)]
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
        elif notebook.is_notebook(source) and source.is_file():
            copy_file(source, target)
        elif source.exists():
            raise Refused("is neither a folder, a .zip file nor a .ipynb notebook")
        else:
            raise Refused("does not exist")
    except OSError as error:
        raise Refused(f"can't read it ({error.strerror or error}): check its path and permissions") from None
    return target


def _workspace_root(folder: Path) -> Path:
    """The folder itself, or its only subfolder (zips often wrap a workspace in one), with answer
    files or a notebook."""
    if folder.is_dir():
        if _holds_answers(folder):
            return folder
        inner = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__", "."))]
        if len(inner) == 1 and _holds_answers(inner[0]):
            return inner[0]
    raise Refused(_NO_ANSWERS)


def _holds_answers(folder: Path) -> bool:
    return bool(answer_files(folder)) or any(notebook.is_notebook(p) for p in folder.iterdir())


def _unpack_notebook(root: Path) -> str:
    """Turn the answer cells of the notebook in `root`, if there is one, into answer files; what to say."""
    try:
        answers, notes = notebook.find(root)
        if answers is not None:
            notes += notebook.unpack(answers, root)
    except notebook.NotebookError as error:
        raise Refused(error.message) from None
    if not answer_files(root):
        raise Refused(_NO_ANSWERS)
    return "; ".join(notes)


_NO_ANSWERS = "holds no exercise files (q01_....py) and no notebook with answer cells: is it a fastquiz workspace?"
