"""The wheels `fastquiz export` carries and the tests' wheelhouse is made of: valid wheels that
pip installs, holding what pip installed (or what pyproject.toml packages), never hidden checks;
the students' build without the model answers."""
from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from fastquiz.errors import FastquizError
from fastquiz.wheel import _refuse_unpaired_checks, pinned_requirements, students_wheel, wheel_of


def record_matches(wheel: Path) -> bool:
    """Every file's hash and size as the wheel's RECORD states them (PEP 376/427)."""
    with zipfile.ZipFile(wheel) as zf:
        record = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
        for line in zf.read(record).decode().splitlines():
            name, digest, size = line.rsplit(",", 2)
            if name == record:
                continue
            data = zf.read(name)
            expected = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            if (digest, int(size)) != (expected, len(data)):
                return False
    return True


def pip_install(wheel: Path, target: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                           "--target", str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_students_wheel_is_valid_and_pip_installs_it_without_the_model_answers(tmp_path):
    wheel = students_wheel(tmp_path)
    assert wheel.name == f"fastquiz-{metadata.version('fastquiz')}-py3-none-any.whl" and record_matches(wheel)
    pip_install(wheel, tmp_path / "site")
    installed = tmp_path / "site" / "fastquiz"
    for path in ("cli.py", "grader/probes.py", "reference/mnist_digits.npy.gz", "templates/classroom.yml.j2",
                 "grader/checks/r2_all_ten_digits.py", "exercises/r2_all_ten_digits.py"):
        assert (installed / path).is_file(), path
    assert not (installed / "solutions").exists()
    assert "fastquiz = fastquiz.console:run" in next((tmp_path / "site").glob("fastquiz-*.dist-info/entry_points.txt")).read_text()


def test_a_check_module_that_no_stub_matches_is_never_shipped():
    files = {"fastquiz/grader/checks/q04_list_comprehension.py": Path("a"), "fastquiz/exercises/q04_list_comprehension.py": Path("b"),
             "fastquiz/grader/checks/q04_answer_key.py": Path("c")}
    with pytest.raises(FastquizError, match="q04_answer_key.py, which no exercise stub matches"):
        _refuse_unpaired_checks(files)


def test_an_installed_distribution_is_repacked_into_a_wheel_pip_installs(tmp_path):
    wheel = wheel_of(metadata.distribution("iniconfig"), tmp_path)
    assert wheel.name == f"iniconfig-{metadata.version('iniconfig')}-py3-none-any.whl" and record_matches(wheel)
    pip_install(wheel, tmp_path / "site")
    assert (tmp_path / "site" / "iniconfig" / "__init__.py").is_file()


def test_every_dependency_is_pinned_to_the_version_installed_here():
    pins = dict(pin.split("==") for pin in pinned_requirements())
    assert {"torch", "numpy", "click", "jinja2", "pytest", "hypothesis", "filelock"} <= set(pins)  # filelock: torch's
    assert "fastquiz" not in pins and "distributed" not in pins  # itself, and an extra
    assert all(metadata.version(name).split("+")[0] == version for name, version in pins.items())
    assert "+" not in pins["torch"]  # torch==2.13.0 also takes the CPU build, 2.13.0+cpu
