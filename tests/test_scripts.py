"""The maintainers' scripts work where they are meant to: gpu_check.sh's fallback, which imports
the whole package through symlinks where `pip install -e .` is not possible."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_gpu_checks_fallback_imports_the_whole_package_through_symlinks():
    done = subprocess.run(["bash", "scripts/gpu_check.sh"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "FASTQUIZ_LINKS": "1", "PYTHON": sys.executable})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "fastquiz: imported through symlinks in" in done.stdout


def test_the_symlinked_package_grades_in_the_sandbox(tmp_path):
    subprocess.run([sys.executable, "scripts/link_package.py", str(tmp_path / "links")], cwd=ROOT, check=True,
                   capture_output=True)
    workspace = tmp_path / "answers"
    workspace.mkdir()
    for module in ("q04_list_comprehension", "q25_sgd_epoch"):  # q25 is given mnist_loss by its stub
        (workspace / f"{module}.py").write_text((ROOT / "solutions" / f"{module}.py").read_text())
    done = subprocess.run(
        [sys.executable, "-c", "import fastquiz, fastquiz.commands, fastquiz.grader.checks; print(fastquiz.__file__)\n"
         "from fastquiz.grader.runner import grade\n"
         f"print([str(q.status) for q in grade({str(workspace)!r}, ['q04', 'q25']).questions])"],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "links"), "PYTHONSAFEPATH": "1"})
    assert done.stdout.splitlines() == [str(tmp_path / "links" / "fastquiz" / "__init__.py"), "['passed', 'passed']"], \
        done.stderr[-2000:]
