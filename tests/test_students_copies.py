"""What an export puts in students' hands carries no answer key: every export is unpacked, every
wheel and zip inside it too, and no model answer is found in it, as a module, as bytecode or as its
lines (outside the chapter's reference code and the checks, which students may read anyway). The
students' build it carries still checks, hints and reports, and says the model answers were kept."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path, PurePosixPath

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.errors import ExitCode
from fastquiz.notebook import NOTEBOOK
from fastquiz.workspace import NO_MODEL_ANSWERS, answer_files
from workspaces import ROOT

MIN_LINE = 32  # shorter lines of a model answer are idioms (`return fig`, `while True:`), not the answer
VISIBLE_ANYWAY = ("fastquiz/reference/", "fastquiz/grader/checks/")  # in a wheel: the chapter's code, the checks


def lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines()}


def model_lines() -> dict[str, str]:
    """{line: the model answer it is from}: each model answer's lines that are nowhere in a stub (what
    every student gets), nor in the reference code or the checks, of MIN_LINE characters or more."""
    stubs = "\n".join(p.read_text() for p in (ROOT / "exercises").glob("*.py"))  # a task may spell out a line
    visible = set()
    for folder in ("reference", "grader/checks"):
        visible |= set().union(*(lines(p.read_text()) for p in (ROOT / folder).rglob("*.py")))
    return {line: model.name for model in answer_files(ROOT / "solutions")
            for line in lines(model.read_text()) - visible if len(line) >= MIN_LINE and line not in stubs}


def unpacked(path: Path) -> dict[str, bytes]:
    """Every file of an export (a folder or a file), by its path, with every zip or wheel inside
    opened in turn: `template/.github/fastquiz/fastquiz-0.1.0-py3-none-any.whl!/fastquiz/cli.py`."""
    files = {str(p.relative_to(path.parent)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()} \
        if path.is_dir() else {path.name: path.read_bytes()}
    found = {}
    for name, data in files.items():
        found.update(_opened(name, data))
    return found


def _opened(name: str, data: bytes) -> dict[str, bytes]:
    if not name.endswith((".zip", ".whl")):
        return {name: data}
    found = {name: data}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.namelist():
            found.update(_opened(f"{name}!/{entry}", archive.read(entry)))
    return found


def text_of(name: str, data: bytes) -> str:
    """What a file says: a notebook's cells, anything else as bytes read as text (bytecode included)."""
    if name.endswith(".ipynb"):
        return "\n".join("".join(cell["source"]) for cell in json.loads(data)["cells"])
    return data.decode("utf-8", errors="replace")


def leaks(files: dict[str, bytes]) -> list[str]:
    """Where a model answer is found: a model answers' module or bytecode, or a model answer's line."""
    answers = model_lines()
    found = []
    for name, data in files.items():
        inner = name.rsplit("!/", 1)[-1]
        if "solutions" in PurePosixPath(inner).parts or inner.endswith((".pyc", ".pyo")):
            found.append(f"{name}: a model answers' module or bytecode")
        elif not (inner.startswith(VISIBLE_ANYWAY) and "!/" in name):
            text = text_of(name, data)
            found += [f"{name}: a line of {answers[line]}: {line!r}" for line in answers if line in text]
    return found


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    """Every export, with every option that adds files for students: Classroom's template with its
    notebook, Gradescope's autograder with hidden checks, and its starter notebook and wheel."""
    root = tmp_path_factory.mktemp("exports")
    (root / "hidden").mkdir()
    (root / "hidden" / "q04_list_comprehension.py").write_text(
        "from fastquiz.grader.question import HiddenChecks\n\nCHECKS = HiddenChecks()\n")
    (root / "gradescope").mkdir()
    for args in (["classroom", str(root / "classroom"), "--notebook"],
                 ["gradescope", str(root / "gradescope" / "autograder.zip"), "--hidden", str(root / "hidden"), "--notebook"]):
        result = CliRunner().invoke(main, ["export", *args])
        assert result.exit_code == 0, result.output
    return {"classroom": root / "classroom", "gradescope": root / "gradescope"}


def test_the_model_answers_have_lines_to_look_for():
    answers = model_lines()
    assert len(answers) > 300 and len(set(answers.values())) >= 35  # nearly every question's answer has some
    q04 = (ROOT / "solutions" / "q04_list_comprehension.py").read_text()
    assert any(line in q04 for line, model in answers.items() if model == "q04_list_comprehension.py")


@pytest.mark.parametrize("platform", ["classroom", "gradescope"])
def test_no_export_holds_a_model_answer(exports, platform):
    files = unpacked(exports[platform])
    wheels = [name for name in files if name.endswith(".whl")]
    assert wheels and all(f"{wheel}!/fastquiz/cli.py" in files for wheel in wheels)  # the wheels were opened
    assert leaks(files) == []


def test_the_scan_finds_a_model_answer_however_it_is_hidden(tmp_path):
    model = (ROOT / "solutions" / "q24_dataloader.py").read_bytes()
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("fastquiz/grader/helpers.py", model)  # a model answer's code under another name
        archive.writestr("fastquiz/solutions/__init__.py", b"")
    files = {"export/.github/fastquiz/fastquiz-0.1.0-py3-none-any.whl": bundle.getvalue(),
             "export/notes.pyc": b"\x00\x00"}
    found = leaks({name: data for whole, wheel in files.items() for name, data in _opened(whole, wheel).items()})
    assert any("helpers.py: a line of q24_dataloader.py" in f for f in found)
    assert any("solutions/__init__.py: a model answers' module" in f for f in found)
    assert any("notes.pyc: a model answers' module or bytecode" in f for f in found)


def test_each_notebook_installs_the_students_build_it_comes_with(exports):
    classroom = json.loads((exports["classroom"] / NOTEBOOK).read_text())
    (wheel,) = (exports["classroom"] / ".github" / "fastquiz").glob("fastquiz-*.whl")
    assert f'"{wheel.relative_to(exports["classroom"])}"' in "".join(classroom["cells"][1]["source"])
    starter = json.loads((exports["gradescope"] / NOTEBOOK).read_text())
    (beside,) = exports["gradescope"].glob("fastquiz-*.whl")
    assert f'"{beside.name}"' in "".join(starter["cells"][1]["source"])


# --- the students' build, installed -------------------------------------------------------------

@pytest.fixture(scope="module")
def students_python(exports, tmp_path_factory) -> Path:
    """A virtual environment with the Classroom template's fastquiz and, through a .pth file, this
    environment's dependencies (not its editable fastquiz, which that .pth file does not bring)."""
    venv = tmp_path_factory.mktemp("students") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (wheel,) = (exports["classroom"] / ".github" / "fastquiz").glob("fastquiz-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def fastquiz(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-m", "fastquiz", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def students_workspace(students_python, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("student")
    assert fastquiz(students_python, "init", "answers", cwd=root).returncode == 0
    (root / "answers" / "q04_list_comprehension.py").write_bytes((ROOT / "solutions" / "q04_list_comprehension.py").read_bytes())
    return root / "answers"


def test_the_students_build_has_no_model_answers(students_python, tmp_path):
    done = subprocess.run([students_python, "-c", "import fastquiz, importlib.util; print(fastquiz.__file__); "
                           "print(importlib.util.find_spec('fastquiz.solutions'))"], capture_output=True, text=True, cwd=tmp_path)
    where, spec = done.stdout.splitlines()
    assert not where.startswith(str(ROOT)) and spec == "None"


def test_solution_says_the_instructor_kept_the_model_answers(students_python, students_workspace):
    done = fastquiz(students_python, "solution", "q04", cwd=students_workspace)
    assert done.returncode == ExitCode.FAILED and done.stdout == ""
    assert done.stderr == f"Error: {NO_MODEL_ANSWERS}; `fastquiz hint q04` still helps\n"


def test_check_and_hint_work_as_ever(students_python, students_workspace):
    checked = fastquiz(students_python, "check", "q04", cwd=students_workspace)
    assert checked.returncode == ExitCode.OK and "passed" in checked.stdout, checked.stderr
    hinted = fastquiz(students_python, "hint", "q04", cwd=students_workspace)
    assert hinted.returncode == ExitCode.OK and hinted.stdout.startswith("q04 hint 1/")


def test_the_report_says_the_model_answers_were_kept(students_python, students_workspace):
    done = fastquiz(students_python, "report", cwd=students_workspace)
    assert done.returncode == ExitCode.OK, done.stderr
    page = (students_workspace / "report.html").read_text()
    assert NO_MODEL_ANSWERS.split(":")[0] in page and "Model answer" not in page
    others = [line for line, model in model_lines().items() if model != "q04_list_comprehension.py"]  # q04: theirs
    assert not [line for line in others if line in page]
