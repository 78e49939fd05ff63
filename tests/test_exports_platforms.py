"""`fastquiz export classroom|gradescope`: each export is installed from its own files, as the
platform installs it, then grades the model answers and the stubs as the platform runs it.

The installs are real and offline: pip sees only a folder of wheels (the fastquiz wheel the
export carries, and the wheels of every pinned dependency, made from this environment's
installed distributions), never an index. The module takes about 2-3 minutes: two installs of
torch into fresh virtual environments."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader.question import load_questions
from fastquiz.wheel import pinned_requirements, wheel_of
from workspaces import ROOT, make_workspace

pytestmark = pytest.mark.slow
SCHEMAS = Path(__file__).parent / "schemas"
PACKAGE = "fastquiz @ git+https://github.com/example/fastquiz@v0.1.0"
TIMEOUT = 900
TOTAL = sum(q.points for q in load_questions())


def export(*args: str):
    return CliRunner().invoke(main, ["export", *args])


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory) -> Path:
    """A wheel of each pinned dependency, repacked from what is installed here."""
    folder = tmp_path_factory.mktemp("wheelhouse")
    for pin in pinned_requirements():
        wheel_of(metadata.distribution(pin.split("==")[0]), folder)
    return folder


def offline(wheelhouse: Path, **extra: str) -> dict[str, str]:
    """An environment in which pip reads no configuration and installs from `wheelhouse` only."""
    return {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse),
            "PIP_NO_COMPILE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


# --- GitHub Classroom ---------------------------------------------------------------------------

def workflow_steps(template: Path) -> list[dict]:
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((template / ".github" / "workflows" / "classroom.yml").read_text())
    (job,) = workflow["jobs"].values()
    return job["steps"]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("classroom") / "template"
    result = export("classroom", str(folder))
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def runner_python(template, wheelhouse, tmp_path_factory) -> Path:
    """A runner after the workflow's setup-python and install steps: a fresh virtual environment,
    in which the install step ran from the template's files alone."""
    venv = tmp_path_factory.mktemp("runner") / "python"
    run([sys.executable, "-m", "venv", str(venv)])
    install = next(s["run"] for s in workflow_steps(template) if s.get("name") == "Install fastquiz")
    run(["bash", "-euo", "pipefail", "-c", install], cwd=template,
        env=offline(wheelhouse, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"))
    return venv / "bin"


def classroom_points(template: Path, answers: str, runner_python: Path, tmp_path: Path) -> dict[str, int]:
    """Run the workflow's steps on a student repository holding `answers` (solutions or exercises),
    as GitHub Actions runs them: the grading step once, then each part's command-grader step,
    which earns its max-score when its command exits 0. Points by step id."""
    repo = shutil.copytree(template, tmp_path / "repo")
    make_workspace(repo, answers)
    env = {**os.environ, "PATH": f"{runner_python}{os.pathsep}{os.environ['PATH']}", "GITHUB_STEP_SUMMARY": ""}
    steps = workflow_steps(template)
    grading = next(s for s in steps if s.get("name") == "Grade every answer")
    assert grading["continue-on-error"] is True
    subprocess.run(["bash", "-c", grading["run"]], cwd=repo, env=env, capture_output=True, timeout=TIMEOUT)
    points = {}
    for step in steps:
        if step.get("uses", "").startswith("classroom-resources/autograding-command-grader@"):
            done = subprocess.run(["bash", "-c", step["with"]["command"]], cwd=repo, env=env, capture_output=True)
            points[step["id"]] = step["with"]["max-score"] if done.returncode == 0 else 0
    return points


def test_the_template_holds_the_stubs_the_workspace_marker_and_a_gitignore(template):
    stubs = sorted(p.name for p in (ROOT / "exercises").glob("[qr][0-9]*.py"))
    assert sorted(p.name for p in template.glob("[qr][0-9]*.py")) == stubs
    assert (template / ".fastquiz" / "workspace.json").is_file()
    ignored = (template / ".gitignore").read_text().splitlines()
    assert {"junit.xml", "report.html", ".fastquiz/*", "!.fastquiz/workspace.json", ".hypothesis/"} <= set(ignored)


def test_the_workflow_uses_the_current_actions_and_grades_once_then_scores_each_part(template):
    steps = workflow_steps(template)
    uses = [s.get("uses", "") for s in steps]
    assert uses[:2] == ["actions/checkout@v7", "actions/setup-python@v7"]
    assert uses[-1] == "classroom-resources/autograding-grading-reporter@v1"
    assert [s.get("run") for s in steps].count("fastquiz check --ci") == 1
    graders = [s for s in steps if s.get("uses") == "classroom-resources/autograding-command-grader@v1"]
    parts = [(q.id, p) for q in load_questions() for p in q.parts]
    assert [g["with"]["max-score"] for g in graders] == [p.points for _, p in parts]
    for grader, (qid, part) in zip(graders, parts):
        assert grader["with"]["command"] == f"python -m fastquiz.classroom_part junit.xml {qid} {part.name}"
    reporter = steps[-1]
    assert reporter["with"]["runners"].split(",") == [g["id"] for g in graders]
    assert all(reporter["env"][f"{g['id'].upper()}_RESULTS"] == f"${{{{ steps.{g['id']}.outputs.result }}}}"
               for g in graders)


def test_the_workflow_installs_cpu_torch_then_the_carried_wheel_with_every_version_pinned(template):
    install = next(s["run"] for s in workflow_steps(template) if s.get("name") == "Install fastquiz")
    torch_line, fastquiz_line = install.strip().splitlines()
    assert "--index-url https://download.pytorch.org/whl/cpu torch==" in torch_line
    (wheel,) = (template / ".github" / "fastquiz").glob("fastquiz-*.whl")
    assert fastquiz_line.endswith(f"--constraint .github/fastquiz/constraints.txt .github/fastquiz/{wheel.name}")
    pins = (template / ".github" / "fastquiz" / "constraints.txt").read_text().split()
    assert pins == pinned_requirements() and all("==" in pin for pin in pins)
    assert f"torch=={metadata.version('torch').split('+')[0]}" in pins


def test_the_classroom_run_gives_the_model_answers_every_point(template, runner_python, tmp_path):
    points = classroom_points(template, "solutions", runner_python, tmp_path)
    assert sum(points.values()) == TOTAL and all(points.values())


def test_the_classroom_run_gives_the_stubs_no_point(template, runner_python, tmp_path):
    points = classroom_points(template, "exercises", runner_python, tmp_path)
    assert len(points) == sum(len(q.parts) for q in load_questions()) and sum(points.values()) == 0


def test_a_part_step_without_a_grading_run_fails_and_says_why(template, tmp_path):
    done = subprocess.run([sys.executable, "-m", "fastquiz.classroom_part", "junit.xml", "q04", "test_x"],
                          cwd=template, capture_output=True, text=True)
    assert done.returncode == 1 and "Grade every answer" in done.stdout


def test_a_part_step_imports_no_torch(tmp_path):
    code = "import runpy, sys; sys.argv = ['x', 'junit.xml', 'q04', 'test_x']\n" \
           "try:\n    runpy.run_module('fastquiz.classroom_part', run_name='__main__')\n" \
           "except SystemExit:\n    pass\nprint('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


def test_with_a_published_package_the_workflow_installs_it_and_carries_no_wheel(tmp_path):
    result = export("classroom", str(tmp_path / "repo"), "--package", PACKAGE)
    assert result.exit_code == 0, result.output
    assert not list((tmp_path / "repo" / ".github" / "fastquiz").glob("*.whl"))
    workflow = (tmp_path / "repo" / ".github" / "workflows" / "classroom.yml").read_text()
    assert f"--constraint .github/fastquiz/constraints.txt '{PACKAGE}'" in workflow


def test_classroom_refuses_a_folder_with_any_file_it_would_write_and_writes_nothing(tmp_path):
    workflow = tmp_path / "repo" / ".github" / "workflows" / "classroom.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("mine\n")
    result = export("classroom", str(tmp_path / "repo"))
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "classroom.yml" in result.output and "nothing was changed" in result.output
    assert workflow.read_text() == "mine\n" and not list((tmp_path / "repo").glob("q*.py"))
    assert not (tmp_path / "repo" / ".github" / "fastquiz").exists()


def test_a_package_spec_on_several_lines_is_refused(tmp_path):
    result = export("classroom", str(tmp_path / "repo"), "--package", "fastquiz\nrm -rf /")
    assert result.exit_code == 2 and not (tmp_path / "repo").exists()


# --- the carried wheel --------------------------------------------------------------------------

def test_the_carried_wheel_holds_the_package_and_its_data_and_nothing_of_the_checkout(template):
    (wheel,) = (template / ".github" / "fastquiz").glob("fastquiz-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"fastquiz/cli.py", "fastquiz/grader/probes.py", "fastquiz/reference/mnist_digits.npy.gz",
            "fastquiz/templates/class.html.j2", "fastquiz/grader/checks/q04_list_comprehension.py",
            "fastquiz/exercises/q04_list_comprehension.py"} <= set(names)
    assert all(n.startswith(("fastquiz/", "fastquiz-")) and "__pycache__" not in n for n in names)
    assert not any(n.startswith(("fastquiz/tests", "fastquiz/bench")) for n in names)


# --- Gradescope ---------------------------------------------------------------------------------

HIDDEN_CHECK = '''
from fastquiz.grader.question import HiddenChecks

CHECKS = HiddenChecks()


@CHECKS.part(points=2)
def test_agrees_with_the_answer_key(student):
    assert student.function("double_odds")([1, 2, 3, -5]) == [2, 6, -10], "double_odds disagrees with the key"
'''


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gradescope")
    (folder / "hidden").mkdir()
    (folder / "hidden" / "q04_list_comprehension.py").write_text(HIDDEN_CHECK)
    archive = folder / "autograder.zip"
    result = export("gradescope", str(archive), "--hidden", str(folder / "hidden"))
    assert result.exit_code == 0, result.output
    return archive


@pytest.fixture(scope="module")
def autograder(autograder_zip, wheelhouse) -> Path:
    """Gradescope's image after its build: the zip unpacked into source/, setup.sh run (offline),
    run_autograder copied beside source/. As /autograder is, it lies outside /tmp and is
    readable by all: in grade mode student code runs as a user of its own, with a /tmp of its
    own, and loads modules from the venv."""
    image = Path(tempfile.mkdtemp(prefix=".test-image-", dir=ROOT))
    image.chmod(0o755)
    root = image / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as zf:
        for entry in zf.infolist():  # ZipFile.extractall drops the permission bits
            target = root / "source" / entry.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(entry))
            target.chmod(entry.external_attr >> 16 & 0o777)
    run(["bash", str(root / "source" / "setup.sh")], cwd=root / "source", env=offline(wheelhouse, AUTOGRADER_ROOT=str(root)))
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    yield root
    shutil.rmtree(image)


def run_autograder(root: Path, submission: Path) -> dict:
    """A submission graded as Gradescope grades it: in submission/, by run_autograder, into results/."""
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
    shutil.copytree(submission, root / "submission")
    (root / "results").mkdir()
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "PATH": "/usr/bin:/bin"}  # only what setup.sh installed
    run([str(root / "run_autograder")], cwd=root, env=env)
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(results, json.loads((SCHEMAS / "gradescope_results.schema.json").read_text()))
    return results


def test_the_zip_holds_the_scripts_executable_the_wheel_the_pins_and_the_hidden_checks(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as zf:
        modes = {entry.filename: entry.external_attr >> 16 for entry in zf.infolist()}
    wheel = next(n for n in modes if n.startswith("fastquiz-") and n.endswith(".whl"))
    assert set(modes) == {"setup.sh", "run_autograder", wheel, "constraints.txt", "hidden/q04_list_comprehension.py"}
    assert all(stat.S_ISREG(mode) for mode in modes.values())
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    with zipfile.ZipFile(autograder_zip) as zf, zipfile.ZipFile(zf.open(wheel)) as carried:
        assert not any("hidden" in n or n.endswith("key.json") for n in carried.namelist())


def test_the_model_answers_earn_every_point_hidden_ones_included_and_r2_reaches_the_leaderboard(autograder, tmp_path):
    results = run_autograder(autograder, make_workspace(tmp_path / "answers", "solutions"))
    assert results["score"] == sum(t["max_score"] for t in results["tests"]) == TOTAL + 2
    hidden = [t for t in results["tests"] if t["visibility"] == "after_published"]
    assert [(t["number"], t["score"]) for t in hidden] == [("q04", 2)]
    accuracy, seconds = results["leaderboard"]
    assert accuracy["name"] == "r2 held-out accuracy" and 0.85 <= accuracy["value"] <= 1
    assert seconds["order"] == "asc" and 0 < seconds["value"] < 60


def test_the_stubs_earn_no_point(autograder, tmp_path):
    results = run_autograder(autograder, make_workspace(tmp_path / "answers", "exercises"))
    assert results["score"] == 0 and {t["status"] for t in results["tests"]} == {"failed"}
    assert "leaderboard" not in results


def test_a_zip_inside_the_submission_is_graded(autograder, tmp_path):
    stubs = make_workspace(tmp_path / "stubs", "solutions", ("q04",))
    (tmp_path / "submission").mkdir()
    shutil.make_archive(str(tmp_path / "submission" / "my-answers"), "zip", stubs.parent, stubs.name)
    results = run_autograder(autograder, tmp_path / "submission")
    assert [t["score"] for t in results["tests"] if t["number"] == "q04"] == [3, 2]


def test_a_submission_that_cannot_be_graded_is_explained(autograder, tmp_path):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "notes.txt").write_text("I did it all in a notebook\n")
    results = run_autograder(autograder, tmp_path / "submission")
    assert results["score"] == 0 and results["tests"] == []
    assert "not graded" in results["output"] and "holds no exercise files" in results["output"]


def test_gradescope_refuses_to_overwrite_a_file(tmp_path):
    archive = tmp_path / "autograder.zip"
    archive.write_bytes(b"mine")
    result = export("gradescope", str(archive))
    assert result.exit_code == 1 and "already exists" in result.output and archive.read_bytes() == b"mine"
