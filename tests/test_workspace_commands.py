"""A student's workflow: init a workspace, check from anywhere in it, hints, solutions, reset, list."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader.question import BANK_VERSION, load_questions
from fastquiz.workspace import MARKER_DIR, answer_files, hints_opened_early, stubs_dir

ROOT = Path(__file__).resolve().parents[1]
MODULE = "q04_list_comprehension"
pytestmark = pytest.mark.usefixtures("workers")  # forked and spawned workers alike


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


def test_hints_go_from_a_nudge_to_a_near_solution_once_an_attempt_fails(workspace):
    first = run("hint", "q4").output
    assert "hint 1/2" in first and "hint 2/2" not in first and "--level 2" in first
    locked = run("hint", "q4", "--level", "2", "--workspace", str(workspace))
    assert locked.exit_code == 1 and "gives part of the answer away" in locked.output and "hint 2/2" not in locked.output
    solve(workspace)
    answer = workspace / f"{MODULE}.py"
    answer.write_text(answer.read_text().replace("2 * n", "3 * n"))
    assert run("check", "q04", "--workspace", str(workspace)).exit_code == 1
    second = run("hint", "q4", "--level", "2", "--workspace", str(workspace)).output
    assert "hint 1/2" in second and "hint 2/2" in second


def test_a_revealing_hint_forced_before_any_attempt_is_listed_in_the_report(workspace):
    forced = run("hint", "q4", "--level", "2", "--force", "--workspace", str(workspace))
    assert forced.exit_code == 0 and "hint 2/2" in forced.output
    assert hints_opened_early(workspace) == {MODULE: 2}


def test_a_hint_level_the_question_does_not_have_is_a_usage_error():
    result = run("hint", "q4", "--level", "3")
    assert result.exit_code == 2 and "q04 has 2 hint levels" in result.output


def test_hint_reads_the_questions_without_importing_torch(tmp_path):
    code = "import sys; from fastquiz.cli import main; main(['hint', 'q4'], standalone_mode=False); " \
           "assert 'torch' not in sys.modules and 'hypothesis' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0 and "hint 1/2" in done.stdout, done.stderr


def test_check_leaves_torch_to_the_grading_processes(workspace, tmp_path):
    """Where no full MNIST is downloaded, check's own process never imports torch (the grading processes
    do): importing it there would add its 1-2 s to every check, after the grading."""
    solve(workspace)
    code = (f"import sys\nfrom fastquiz.cli import main\ntry:\n    main(['check', '--workspace', {str(workspace)!r}], "
            "standalone_mode=False)\nexcept SystemExit:\n    pass\nprint('torch imported:', 'torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if k not in ("FASTQUIZ_DATA", "FASTAI_HOME")},
                               "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)})
    assert re.search(r"q04 .* passed", done.stdout), done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "torch imported: False"


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
    assert len([line for line in lines if re.match(r"[qr]\d", line)]) == len(answer_files(stubs_dir()))
    q04 = next(line for line in lines if line.startswith("q04"))
    assert "passed" in q04 and "3/3" in q04
    total = sum(q.points for q in load_questions())
    assert re.fullmatch(rf"\[[#.]{{30}}\] 3/{total} points", lines[-1])


def test_list_and_check_wrap_long_titles_instead_of_cutting_them(workspace):
    title = next(q.title for q in load_questions() if q.id == "q08")
    assert len(title) > 44
    for command in ("list", "check"):
        output = run(command, "--workspace", str(workspace), *(["q08"] if command == "check" else [])).output
        lines = output.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("q08"))
        shown = " ".join(line[5:49].strip() for line in lines[start:start + 2])
        assert shown == title, command


def test_a_workspace_of_the_older_bank_is_migrated_and_each_change_named(workspace):
    marker = workspace / MARKER_DIR / "workspace.json"
    marker.write_text(json.dumps({"fastquiz": "0.1.0"}))  # made before question banks had versions
    old_q30 = 'def gradient_of_sum_of_squares(x):\n    return 2 * x\n\n\nBACKWARD = "c"\n\nEXPLAIN = "mine"\n'
    (workspace / "q30_backward.py").write_text(old_q30)
    result = run("list", "--workspace", str(workspace))
    assert result.exit_code == 0 and "q30 changed in question bank" in result.stderr
    migrated = (workspace / "q30_backward.py").read_text()
    assert migrated.startswith(old_q30.rstrip()) and "def gradients(loss_fn" in migrated
    assert "BACKWARD = None" not in migrated  # only what the answer lacks is added
    (backup,) = (workspace / MARKER_DIR / "backups").glob("q30_backward.bank1.*.py")
    assert backup.read_text() == old_q30
    assert json.loads(marker.read_text())["bank"] == BANK_VERSION
    assert "changed in question bank" not in run("list", "--workspace", str(workspace)).stderr


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
