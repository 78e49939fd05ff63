"""A student's workflow: init a workspace, check from anywhere in it, hints, solutions, reset, list."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader.question import load_questions
from fastquiz.workspace import MARKER_DIR, answer_files, stubs_dir

ROOT = Path(__file__).resolve().parents[1]
MODULE = "q04_list_comprehension"


def run(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


@pytest.fixture
def workspace(tmp_path) -> Path:
    folder = tmp_path / "answers"
    assert run("init", str(folder)).exit_code == 0
    return folder


def solve(workspace: Path, module: str = MODULE) -> None:
    shutil.copy(ROOT / "solutions" / f"{module}.py", workspace / f"{module}.py")


def test_init_copies_every_stub_and_marks_the_folder(workspace):
    assert [p.name for p in answer_files(workspace)] == [p.name for p in answer_files(stubs_dir())]
    assert (workspace / MARKER_DIR / "workspace.json").is_file()
    assert not list(workspace.glob("__init__.py"))


def test_init_refuses_to_overwrite_and_changes_nothing(workspace):
    answer = workspace / f"{MODULE}.py"
    answer.write_text("# my work\n")
    result = run("init", str(workspace))
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert answer.read_text() == "# my work\n"


def test_check_finds_the_workspace_from_a_subfolder(workspace):
    solve(workspace)
    (workspace / "notes").mkdir()
    result = run("check", "q04", cwd=workspace / "notes")
    assert result.exit_code == 0, result.output
    assert "passed" in result.output and "score: 3/3" in result.output


def test_check_outside_any_workspace_says_what_to_do(tmp_path):
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 1 and "fastquiz init" in result.output and "Traceback" not in result.output


def test_a_failure_ends_with_the_hint_cue(workspace):
    solve(workspace)
    answer = workspace / f"{MODULE}.py"
    answer.write_text(answer.read_text().replace("2 * n", "3 * n"))
    result = run("check", "q04", "--workspace", str(workspace))
    assert result.exit_code == 1 and "fastquiz hint q04" in result.output


def test_hints_go_from_a_nudge_to_a_near_solution():
    first, second = run("hint", "q4").output, run("hint", "q4", "--level", "2").output
    assert "hint 1/2" in first and "hint 2/2" not in first and "--level 2" in first
    assert "hint 1/2" in second and "hint 2/2" in second


def test_the_solution_is_shown_only_once_the_question_passes(workspace):
    locked = run("solution", "q04", "--workspace", str(workspace))
    assert locked.exit_code == 1 and "does not pass yet" in locked.output and "def double_odds" not in locked.output
    assert "def double_odds" in run("solution", "q04", "--force", "--workspace", str(workspace)).output
    solve(workspace)
    assert "def double_odds" in run("solution", "q04", "--workspace", str(workspace)).output


def test_reset_restores_the_stub_and_keeps_a_backup(workspace):
    answer = workspace / f"{MODULE}.py"
    answer.write_text("# my attempt\n")
    result = run("reset", "q04", "--workspace", str(workspace))
    assert result.exit_code == 0
    assert answer.read_text() == (stubs_dir() / f"{MODULE}.py").read_text()
    (backup,) = (workspace / MARKER_DIR / "backups").iterdir()
    assert backup.read_text() == "# my attempt\n"


def test_list_shows_every_question_and_a_progress_bar(workspace):
    solve(workspace)
    result = run("list", "--workspace", str(workspace))
    lines = result.output.splitlines()
    assert len(lines) == len(answer_files(stubs_dir())) + 1
    q04 = next(line for line in lines if line.startswith("q04"))
    assert "passed" in q04 and "3/3" in q04
    total = sum(q.points for q in load_questions())
    assert re.fullmatch(rf"\[[#.]{{30}}\] 3/{total} points", lines[-1])


def test_init_works_from_a_wheel_outside_the_repository(tmp_path):
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                           capture_output=True, text=True)
    if built.returncode != 0:
        pytest.skip(f"can't build a wheel here: {built.stderr.strip().splitlines()[-1:]}")
    target = tmp_path / "site"
    (wheel,) = wheels.glob("fastquiz-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "from fastquiz.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, "init", "ws"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    where = subprocess.run([sys.executable, "-c", "import fastquiz; print(fastquiz.__file__)"], cwd=tmp_path, env=env,
                           capture_output=True, text=True).stdout
    assert where.startswith(str(target))
    assert len(answer_files(tmp_path / "ws")) == len(answer_files(stubs_dir()))
