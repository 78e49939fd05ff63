"""fastquiz in a notebook's kernel: the `%%fastquiz` cell magic, and the Python API under it
(`fastquiz.check`, `fastquiz.hint`, `fastquiz.show_report`, `fastquiz.use`).

The kernel saves answer files and shows results; grading, hints and the report come from its
helper process (`client.py`), so the kernel never imports torch or the grader, and never runs
the student's code. A problem the student can fix is an IPython usage error: one line.
"""
from __future__ import annotations

import atexit
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .. import notebook
from ..errors import FastquizError
from ..grader.results import QuestionResult
from ..workspace import answer_files, find_workspace, init_workspace
from .client import Helper, HelperError
from .display import CheckResult, Hints, Report

UsageError: type[Exception]  # how a mistake in a cell is told: one line, no traceback
try:
    from IPython.core.error import UsageError as _IPythonUsageError

    UsageError = _IPythonUsageError
except ImportError:  # plain Python: the API works, with ordinary errors
    UsageError = FastquizError

DEFAULT_WORKSPACE = "fastquiz-answers"  # made in the current folder where no workspace holds it (Colab)


class Session:
    """The kernel's workspace and helper."""

    def __init__(self) -> None:
        self.helper = Helper()
        self._workspace: Path | None = None

    def workspace(self) -> Path:
        """The workspace in use: the one chosen with `use`, else the one around the current folder,
        else a new one in ./fastquiz-answers."""
        if self._workspace is None:
            self._workspace = find_workspace(Path.cwd())
            if self._workspace is None:
                return self.use(Path.cwd() / DEFAULT_WORKSPACE)
        return self._workspace

    def use(self, folder: str | Path) -> Path:
        """Save and check answers in `folder`: a workspace, or a new one made there."""
        folder = Path(folder).expanduser().resolve()
        if not answer_files(folder):
            with _one_line():
                try:
                    init_workspace(folder)
                except OSError as error:
                    raise FastquizError(f"can't make a workspace in {folder} ({error.strerror}): "
                                        "choose another folder with fastquiz.use(FOLDER)") from None
            print(f"fastquiz: answers are saved in {folder} (fastquiz.use(FOLDER) chooses another folder)")
        self._workspace = folder
        return folder

    def run_cell(self, line: str, cell: str) -> CheckResult:
        """`%%fastquiz q04`: save the cell's code as q04's answer file, then check it."""
        words = line.split()
        if len(words) != 1:
            raise UsageError("name one question after the magic, e.g. %%fastquiz q04")
        with _one_line():
            module = notebook.module_for(words[0])
            saved = notebook.save(self.workspace(), module, cell)
        return self._check(module, saved)

    def check(self, question: str) -> CheckResult:
        """Check the workspace's answer file for `question` as it is."""
        with _one_line():
            module = notebook.module_for(question)
        return self._check(module, None)

    def hint(self, question: str, level: int = 1) -> Hints:
        with _one_line():
            module = notebook.module_for(question)
            reply = self.helper.request("hints", question=_id(module))
        return Hints(_id(module), reply["title"], reply["hints"], max(1, int(level)))

    def report(self) -> Report:
        with _one_line():
            reply = self.helper.request("report", workspace=str(self.workspace()))
        return Report(reply["html"], [QuestionResult.from_dict(r) for r in reply["results"]])

    def _check(self, module: str, saved: notebook.Saved | None) -> CheckResult:
        with _one_line():
            reply = self.helper.request("check", workspace=str(self.workspace()), question=_id(module))
        return CheckResult(QuestionResult.from_dict(reply["result"]), reply["hints"], reply["plots"],
                           [saved.note] if saved is not None and saved.note else [],
                           saved.in_cell if saved is not None else str)


_session = Session()


def session() -> Session:
    return _session


def load(ipython) -> None:
    """Register the `%%fastquiz` cell magic, and start the helper now, so that it is warm by the first check."""
    ipython.register_magic_function(_session.run_cell, magic_kind="cell", magic_name="fastquiz")
    _session.helper.start()
    atexit.register(_session.helper.close)


def _id(module: str) -> str:
    return module.split("_", 1)[0]


@contextmanager
def _one_line() -> Iterator[None]:
    try:
        yield
    except FastquizError as error:
        raise UsageError(error.message) from None
    except HelperError as error:
        raise UsageError(str(error)) from None
