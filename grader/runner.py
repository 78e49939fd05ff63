"""Grade a workspace: run the checks in a forked pytest session and collect the results.

The session runs in a child process so that pytest's global state (plugins, assertion
rewriting, output capture) never touches the caller, which may itself be a pytest run
or a long-lived process that grades many workspaces. Importing this module loads torch,
pytest, hypothesis and the reference once, so that every forked child starts warm.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .plugin import CHECKS_DIR, GradingPlugin
from .question import resolve
from .results import GradeReport, QuestionResult

INI = Path(__file__).with_name("pytest.ini")


class GraderError(Exception):
    """The grader itself failed (not the student's code)."""


def grade(workspace: Path, questions: list[str] | None = None, jobs: int | None = None) -> GradeReport:
    """Grade the named questions (all when None) of the workspace folder.

    Raises KeyError for an id that names no question, GraderError if grading broke down."""
    modules = resolve(questions or [])
    workspace = Path(workspace).resolve()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 70
        try:
            os.close(read_fd)
            status = _session(workspace, modules, jobs or os.cpu_count() or 1, write_fd)
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        lines = pipe.read().splitlines()
    _, wait_status = os.waitpid(pid, 0)
    results = {r.id: r for r in (QuestionResult.from_dict(json.loads(line)) for line in lines)}
    if os.waitstatus_to_exitcode(wait_status) != 0 or len(results) != len(modules):
        raise GraderError(f"the grader stopped early (exit code {os.waitstatus_to_exitcode(wait_status)})")
    order = [m.split("_", 1)[0] for m in modules]
    return GradeReport([results[i] for i in order])


def _session(workspace: Path, modules: list[str], jobs: int, write_fd: int) -> int:
    """In the forked child: run pytest with the grading plugin, stream each question's result."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    os.environ.pop("PYTEST_ADDOPTS", None)

    def send(result: QuestionResult) -> None:
        os.write(write_fd, (json.dumps(result.as_dict()) + "\n").encode())

    plugin = GradingPlugin(workspace, modules, jobs, send)
    paths = [str(CHECKS_DIR / f"{module}.py") for module in modules]
    code = pytest.main(["-c", str(INI), "--rootdir", str(CHECKS_DIR), *paths], plugins=[plugin])
    return 0 if code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) else int(code)
