"""`fastquiz export classroom|gradescope`: the files each platform reads, checked by running
them the way GitHub Classroom and Gradescope do."""
from __future__ import annotations

import json
import os
import shlex
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader.question import load_questions
from workspaces import ROOT, make_workspace

PACKAGE = "fastquiz @ git+https://github.com/example/fastquiz@v0.1.0"
VENV_BIN = str(Path(sys.executable).parent)  # where this environment's python and fastquiz live
SCRIPT_TIMEOUT = 300


def export(*args: str):
    return CliRunner().invoke(main, ["export", *args])


# --- GitHub Classroom ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("classroom") / "template"
    result = export("classroom", str(folder), "--package", PACKAGE)
    assert result.exit_code == 0, result.output
    return folder


def autograding_tests(folder: Path) -> list[dict]:
    return json.loads((folder / ".github" / "classroom" / "autograding.json").read_text())["tests"]


def test_the_template_holds_the_stubs_and_the_workspace_marker(template):
    stubs = sorted(p.name for p in (ROOT / "exercises").glob("[qr][0-9]*.py"))
    assert sorted(p.name for p in template.glob("[qr][0-9]*.py")) == stubs
    assert (template / ".fastquiz" / "workspace.json").is_file()


def test_autograding_has_a_test_per_question_worth_its_points(template):
    tests = autograding_tests(template)
    questions = load_questions()
    assert [t["run"] for t in tests] == [f"fastquiz check {q.id}" for q in questions]
    assert [t["points"] for t in tests] == [q.points for q in questions]
    assert [t["name"] for t in tests] == [f"{q.id}: {q.title}" for q in questions]
    for test in tests:
        assert {"name", "setup", "run", "timeout", "points"} <= set(test)
        assert isinstance(test["timeout"], int) and 1 <= test["timeout"] <= 60  # minutes


def test_the_workflow_installs_cpu_torch_and_the_pinned_package_then_runs_check_ci(template):
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((template / ".github" / "workflows" / "classroom.yml").read_text())
    assert "push" in workflow["on"]
    steps = next(iter(workflow["jobs"].values()))["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/checkout@") and any(u.startswith("actions/setup-python@") for u in uses)
    install = next(step["run"] for step in steps if "pip install" in step.get("run", ""))
    commands = [shlex.split(line) for line in install.splitlines()]
    assert any("torch>=2.2,<2.15" in c and "https://download.pytorch.org/whl/cpu" in c for c in commands)
    assert any(c[-1] == PACKAGE for c in commands)
    runs = [step.get("run", "") for step in steps]
    assert runs.index("fastquiz check --ci") > runs.index(install)
    assert uses[-1].startswith("education/autograding@")  # reads autograding.json, reports the points


def run_autograding_tests(folder: Path, monkeypatch) -> dict[str, tuple[int, str]]:
    """Each autograding test's command, run in `folder` as Classroom runs it (in this process,
    to spare 78 imports of torch): its exit code and output."""
    monkeypatch.chdir(folder)
    outcomes = {}
    for test in autograding_tests(folder):
        assert test["setup"] == ""
        program, *args = shlex.split(test["run"])
        assert program == "fastquiz"
        result = CliRunner().invoke(main, args)
        outcomes[test["name"]] = result.exit_code, result.output
    return outcomes


def test_every_autograding_test_passes_on_the_model_answers(template, tmp_path, monkeypatch):
    repo = shutil.copytree(template, tmp_path / "repo")
    make_workspace(repo, "solutions")  # the model answers over the stubs
    outcomes = run_autograding_tests(repo, monkeypatch)
    failing = {name: output for name, (code, output) in outcomes.items() if code != 0}
    assert len(outcomes) == len(load_questions()) and not failing, failing


def test_every_autograding_test_fails_on_the_stubs(template, tmp_path, monkeypatch):
    repo = shutil.copytree(template, tmp_path / "repo")
    outcomes = run_autograding_tests(repo, monkeypatch)
    passing = [name for name, (code, _) in outcomes.items() if code == 0]
    assert len(outcomes) == len(load_questions()) and not passing, passing


def test_an_autograding_command_runs_from_a_shell_in_the_repository(template, tmp_path):
    repo = shutil.copytree(template, tmp_path / "repo")
    make_workspace(repo, "solutions", ("q04",))
    q04 = next(t for t in autograding_tests(repo) if t["run"].endswith("q04"))
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", q04["run"]], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=SCRIPT_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "q04" in done.stdout and "passed" in done.stdout


def test_classroom_refuses_a_folder_with_any_file_it_would_write_and_writes_nothing(tmp_path):
    workflow = tmp_path / "repo" / ".github" / "workflows" / "classroom.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("mine\n")
    result = export("classroom", str(tmp_path / "repo"))
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "classroom.yml" in result.output and "nothing was changed" in result.output
    assert workflow.read_text() == "mine\n" and not list((tmp_path / "repo").glob("q*.py"))
    assert not (tmp_path / "repo" / ".github" / "classroom").exists()


def test_a_package_spec_on_several_lines_is_refused(tmp_path):
    result = export("classroom", str(tmp_path / "repo"), "--package", "fastquiz\nrm -rf /")
    assert result.exit_code == 2 and not (tmp_path / "repo").exists()


# --- Gradescope ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    archive = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    result = export("gradescope", str(archive), "--package", PACKAGE)
    assert result.exit_code == 0, result.output
    return archive


def autograder_root(tmp_path: Path, archive: Path) -> Path:
    """Gradescope's layout: the zip unpacked into source/, an empty submission/ and results/."""
    root = tmp_path / "autograder"
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    with zipfile.ZipFile(archive) as zf:
        for entry in zf.infolist():  # ZipFile.extractall drops the permission bits
            target = root / "source" / entry.filename
            target.write_bytes(zf.read(entry))
            target.chmod(entry.external_attr >> 16 & 0o777)
    return root


def run_autograder(root: Path) -> dict:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True,
                          timeout=SCRIPT_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_the_zip_holds_setup_and_run_autograder_at_its_root_executable(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as zf:
        modes = {entry.filename: entry.external_attr >> 16 for entry in zf.infolist()}
    assert set(modes) == {"setup.sh", "run_autograder"}
    assert all(stat.S_ISREG(mode) and mode & 0o111 for mode in modes.values())


def test_setup_installs_cpu_torch_and_the_pinned_package_into_a_venv(tmp_path, autograder_zip):
    root = autograder_root(tmp_path, autograder_zip)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "FASTQUIZ_SETUP_DRY_RUN": "1"}
    done = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True,
                          timeout=SCRIPT_TIMEOUT)
    assert done.returncode == 0, done.stderr
    commands = [line.removeprefix("+ ") for line in done.stdout.splitlines()]
    pip = f"{root}/venv/bin/pip install"
    assert any(c.endswith(f"-m venv {root}/venv") for c in commands)
    assert f"{pip} --index-url https://download.pytorch.org/whl/cpu torch>=2.2,<2.15" in commands
    assert commands[-1] == f"{pip} {PACKAGE}"
    assert not (root / "venv").exists()


def test_run_autograder_grades_a_workspace_folder_into_results_json(tmp_path, autograder_zip):
    root = autograder_root(tmp_path, autograder_zip)
    make_workspace(root / "submission", "solutions")
    results = run_autograder(root)
    questions = load_questions()
    assert results["score"] == results["max_score"] == sum(q.points for q in questions)
    assert [t["number"] for t in results["tests"]] == [q.id for q in questions]
    for test, question in zip(results["tests"], questions):
        assert set(test) == {"name", "number", "score", "max_score", "status", "output", "visibility"}
        assert (test["score"], test["max_score"], test["status"]) == (question.points, question.points, "passed")
        assert test["visibility"] == "visible" and test["output"].startswith("passed")


def test_run_autograder_grades_a_zip_inside_the_submission(tmp_path, autograder_zip):
    root = autograder_root(tmp_path, autograder_zip)
    stubs = make_workspace(tmp_path / "stubs", "exercises")
    shutil.make_archive(str(root / "submission" / "my-answers"), "zip", stubs.parent, stubs.name)
    results = run_autograder(root)
    assert results["score"] == 0 and len(results["tests"]) == len(load_questions())
    assert {t["status"] for t in results["tests"]} == {"failed"}
    assert all(t["output"].startswith("not_started") for t in results["tests"])


def test_run_autograder_explains_a_submission_it_cannot_grade(tmp_path, autograder_zip):
    root = autograder_root(tmp_path, autograder_zip)
    (root / "submission" / "notes.txt").write_text("I did it all in a notebook\n")
    results = run_autograder(root)
    assert results["score"] == 0 and results["tests"] == []
    assert "not graded" in results["output"] and "holds no exercise files" in results["output"]


def test_gradescope_refuses_to_overwrite_a_file(tmp_path):
    archive = tmp_path / "autograder.zip"
    archive.write_bytes(b"mine")
    result = export("gradescope", str(archive))
    assert result.exit_code == 1 and "already exists" in result.output and archive.read_bytes() == b"mine"
