"""What GitHub Classroom and Gradescope need to grade with fastquiz, made by `fastquiz export`.

Both exports carry what they install: the students' build of the installation that makes them
(a wheel without the model answers: see `wheel.py`; or `--package SPEC`, for those who publish
their own), and `constraints.txt`, every dependency pinned to the version it has here, where
the export was made and can be tested. torch comes from PyTorch's CPU wheel index: a fraction
of the CUDA build's size.

- GitHub Classroom: a student template repository with the stubs, a `.gitignore` for what
  grading writes, and a workflow that grades once per push (`fastquiz check --ci`), then
  reports each part's points from that run's junit.xml (`classroom_part.py`, which needs no torch).
- Gradescope: an autograder zip whose `setup.sh` installs fastquiz once and whose
  `run_autograder` grades each submission (see `gradescope_autograder.py`), with an
  instructor's hidden checks when given.
"""
from __future__ import annotations

import io
import math
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .templating import render

TORCH_INDEX = "https://download.pytorch.org/whl/cpu"  # CPU-only wheels
CLASSROOM_WORKFLOW = ".github/workflows/classroom.yml"
CLASSROOM_FILES = ".github/fastquiz"  # the wheel and the constraints, in the template repository
CONSTRAINTS = "constraints.txt"
HIDDEN = "hidden"  # the hidden checks' folder in the Gradescope zip
INSTALL_MINUTES = 10  # a fresh runner's install of torch and fastquiz, with room to spare
STARTUP_SECONDS = 60  # a fresh runner's import of torch and the grader


@dataclass(frozen=True)
class Install:
    """What an export installs: pip arguments for fastquiz, and the files that go with them."""

    package: str  # a path to the carried wheel, relative to where the export's files are, or a pip requirement
    files: dict[str, bytes]  # the wheel (unless --package was given) and constraints.txt, by file name
    torch: str  # torch==X.Y.Z, the version installed here
    python: str  # this Python's X.Y, which the pins were made for

    @property
    def wheel(self) -> bytes | None:
        """The students' build it carries, None where it installs a pip requirement (--package)."""
        return self.files.get(self.package)


def install(package: str | None) -> Install:
    """The students' build of this installation (or `package`, a pip requirement) and the pins of
    every dependency, as an export carries them."""
    from .wheel import pinned_requirements, students_wheel

    pins = pinned_requirements()
    files = {CONSTRAINTS: ("".join(f"{pin}\n" for pin in pins)).encode()}
    if package is None:
        with tempfile.TemporaryDirectory() as scratch:
            wheel = students_wheel(Path(scratch))
            files[wheel.name] = wheel.read_bytes()
        package = wheel.name
    torch = next(pin for pin in pins if pin.startswith("torch=="))
    return Install(package, files, torch, f"{sys.version_info.major}.{sys.version_info.minor}")


def classroom_package(setup: Install) -> str:
    """What pip installs fastquiz from in a Classroom repository (its workflow, its notebook): the path of
    the carried wheel from the repository's root, or the --package requirement."""
    return f"{CLASSROOM_FILES}/{setup.package}" if setup.wheel is not None else setup.package


def classroom_files(setup: Install) -> dict[str, bytes]:
    """The workflow, `.gitignore` and the files it installs, of a GitHub Classroom template repository."""
    from .grader.question import load_questions

    questions = load_questions()
    files = {f"{CLASSROOM_FILES}/{name}": data for name, data in setup.files.items()}
    files[CLASSROOM_WORKFLOW] = render(
        "classroom.yml.j2", torch=setup.torch, torch_index=TORCH_INDEX, python=setup.python,
        package=classroom_package(setup),
        constraints=f"{CLASSROOM_FILES}/{CONSTRAINTS}", parts=classroom_parts(questions),
        minutes=INSTALL_MINUTES + math.ceil((sum(q.time_limit for q in questions) + STARTUP_SECONDS) / 60),
    ).encode()
    files[".gitignore"] = render("classroom.gitignore.j2").encode()
    return files


@dataclass(frozen=True)
class ClassroomPart:
    """One graded part as a step of the Classroom workflow."""

    id: str  # the step's id: q04-1
    name: str  # q04 List comprehensions: doubles each odd number
    question: str
    part: str  # the check's function name
    points: int


def classroom_parts(questions) -> list[ClassroomPart]:
    return [ClassroomPart(f"{q.id}-{n}", f"{q.id} {q.title}: {p.name.removeprefix('test_').replace('_', ' ')}",
                          q.id, p.name, p.points)
            for q in questions for n, p in enumerate(q.parts, 1)]


def gradescope_zip(setup: Install, hidden: Path | None = None) -> bytes:
    """Gradescope's autograder zip: `setup.sh` and `run_autograder` at its root, executable, beside
    the files they install and, under hidden/, the hidden checks' folder."""
    files = {
        "setup.sh": (render("gradescope_setup.sh.j2", torch=setup.torch, torch_index=TORCH_INDEX,
                            python=setup.python, package=setup.package, local=setup.wheel is not None,
                            constraints=CONSTRAINTS, hidden=HIDDEN).encode(), 0o755),
        "run_autograder": (render("gradescope_run_autograder.j2").encode(), 0o755),
        **{name: (data, 0o644) for name, data in setup.files.items()},
    }
    if hidden is not None:
        for path in sorted(Path(hidden).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[f"{HIDDEN}/{path.relative_to(hidden).as_posix()}"] = (path.read_bytes(), 0o644)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (data, mode) in files.items():
            entry = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            entry.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()
