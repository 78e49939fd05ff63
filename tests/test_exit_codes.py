"""Exit codes a script can trust: defined once (`fastquiz.errors.ExitCode`), listed by `fastquiz --help`
and in docs/instructors.md; and every command that writes a file finds out that it can't before any
work, as a usage error that leaves nothing behind. (`grade`'s own cases: tests/test_grade_command.py.)"""
from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.errors import EXIT_CODES, ExitCode
from workspaces import ROOT

BLOCKED = "notes.txt/below"  # a path below a regular file: no one can write there, root included


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_usage_error_has_clicks_own_exit_code():
    assert click.UsageError("x").exit_code == ExitCode.USAGE


def test_every_exit_code_is_listed_by_help_and_in_the_instructors_guide():
    shown = run("--help").output
    guide = (ROOT / "docs" / "instructors.md").read_text()
    for code, meaning in EXIT_CODES.items():
        assert f"  {code.value}  {meaning}\n" in shown
        assert f"| {code.value} | {meaning} |" in guide


@pytest.fixture
def workspace(tmp_path) -> Path:
    assert run("init", tmp_path / "answers").exit_code == 0
    (tmp_path / "notes.txt").write_text("mine")
    return tmp_path / "answers"


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("args", [
    ["report", "--out", "{tmp}/nowhere/report.html"],
    ["report", "--out", "{tmp}/" + BLOCKED],
    ["check", "--json", "{tmp}/" + BLOCKED],
    ["check", "--junit", "{tmp}/" + BLOCKED],
    ["notebook", "--out", "{tmp}/" + BLOCKED],
    ["pipeline", "--json", "{tmp}/" + BLOCKED],
    ["init", "{tmp}/" + BLOCKED],
    ["data", "download", "--dir", "{tmp}/" + BLOCKED],
    ["export", "classroom", "{tmp}/" + BLOCKED],
    ["export", "gradescope", "{tmp}/" + BLOCKED + "/autograder.zip"],
], ids=lambda args: " ".join(a for a in args if "{tmp}" not in a))
def test_a_path_that_cannot_be_written_is_a_usage_error_before_any_work(workspace, args):
    tmp = workspace.parent
    before = files_under(tmp)
    args = [a.format(tmp=tmp) for a in args]
    result = run(*args, *(["--workspace", workspace] if args[0] in ("report", "check", "notebook") else []))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert f"can't write {tmp}/" in result.output
    assert files_under(tmp) == before  # nothing graded (no results cache), downloaded or written


def test_a_report_in_a_folder_that_does_not_exist_says_so(workspace):
    result = run("report", "--workspace", workspace, "--out", workspace.parent / "nowhere" / "r.html")
    assert f"its folder {workspace.parent / 'nowhere'} does not exist: make it first, or choose another path" \
        in result.output
