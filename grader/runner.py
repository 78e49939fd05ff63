"""Grade workspaces: run the checks in a forked pytest session and collect the results.

The session runs in a child process so that pytest's global state (plugins, assertion
rewriting, output capture) never touches the caller, which may itself be a pytest run
or a long-lived process that grades many workspaces. Importing this module loads torch,
pytest, hypothesis and the reference once, so that every forked child starts warm.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import pytest

from . import plugin as plugin_module
from .plugin import CHECKS_DIR, GradingPlugin
from .question import resolve
from .results import GradeReport, QuestionResult
from .worker import Limits

INI = Path(__file__).with_name("pytest.ini")


class GraderError(Exception):
    """The grader itself failed (not the student's code)."""


def grade(workspace: Path, questions: list[str] | None = None, jobs: int | None = None,
          limits: Limits | None = None, hidden: Path | None = None) -> GradeReport:
    """Grade the named questions (all when None) of one workspace folder.

    Raises KeyError for an id that names no question, GraderError if grading broke down."""
    return grade_many([workspace], questions, jobs, limits, hidden)[0]


def grade_many(workspaces: list[Path], questions: list[str] | None = None, jobs: int | None = None,
               limits: Limits | None = None, hidden: Path | None = None,
               on_result: Callable[[int, QuestionResult], None] | None = None) -> list[GradeReport]:
    """Grade several workspaces with the same questions, up to `jobs` processes at once;
    `hidden`, a folder of an instructor's hidden checks (see `question.HiddenChecks`);
    `on_result(i, result)` is called here as each question of workspace i is graded."""
    modules = resolve(questions or [])
    folders = [Path(w).resolve() for w in workspaces]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 70
        try:
            os.close(read_fd)
            status = _session(folders, modules, jobs or os.cpu_count() or 1, limits, hidden, write_fd)
        finally:
            os._exit(status)
    os.close(write_fd)
    results: list[dict[str, QuestionResult]] = [{} for _ in folders]
    with os.fdopen(read_fd, "rb") as pipe:
        for line in pipe:
            record = json.loads(line)
            result = QuestionResult.from_dict(record["result"])
            results[record["workspace"]][result.id] = result
            if on_result is not None:
                on_result(record["workspace"], result)
    _, wait_status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(wait_status)
    if code != 0 or any(len(r) != len(modules) for r in results):
        raise GraderError(f"the grader stopped early (exit code {code})")
    order = [m.split("_", 1)[0] for m in modules]
    return [GradeReport([r[i] for i in order]) for r in results]


def _session(workspaces: list[Path], modules: list[str], jobs: int, limits: Limits | None, hidden: Path | None,
             write_fd: int) -> int:
    """In the forked child: run pytest with the grading plugin, stream each question's result."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    os.environ.pop("PYTEST_ADDOPTS", None)

    def send(workspace: int, result: QuestionResult) -> None:
        os.write(write_fd, (json.dumps({"workspace": workspace, "result": result.as_dict()}) + "\n").encode())

    paths = [CHECKS_DIR / f"{module}.py" for module in modules]
    if hidden is not None:
        paths += [Path(hidden).resolve() / f"{m}.py" for m in modules if (Path(hidden) / f"{m}.py").is_file()]
    plugin = GradingPlugin(workspaces, jobs, send, limits, paths)
    # pytest is given their folders, the public checks' first; the plugin collects only `paths`
    folders = list(dict.fromkeys(str(path.parent) for path in paths))
    code = pytest.main(["-c", str(INI), "--rootdir", str(CHECKS_DIR), *folders], plugins=[plugin, plugin_module])
    return 0 if code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) else int(code)
