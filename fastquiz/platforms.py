"""What GitHub Classroom and Gradescope need to grade with fastquiz, made by `fastquiz export`.

- GitHub Classroom: a student template repository with the stubs, a workflow that installs
  fastquiz and runs `fastquiz check --ci`, and an autograding config with a test per question.
- Gradescope: an autograder zip whose `setup.sh` installs fastquiz once and whose
  `run_autograder` grades each submission (see `gradescope_autograder.py`).
"""
from __future__ import annotations

import io
import json
import math
import zipfile

from .templating import render

TORCH = "torch>=2.2,<2.15"
TORCH_INDEX = "https://download.pytorch.org/whl/cpu"  # CPU-only wheels: a fraction of the CUDA build's size
CLASSROOM_WORKFLOW = ".github/workflows/classroom.yml"
AUTOGRADING_CONFIG = ".github/classroom/autograding.json"
STARTUP_SECONDS = 60  # a fresh CI runner's import of torch and the grader, with room to spare


def classroom_files(package: str) -> dict[str, str]:
    """The workflow and the autograding config of a GitHub Classroom template repository."""
    return {
        CLASSROOM_WORKFLOW: render("classroom.yml.j2", package=package, torch=TORCH, torch_index=TORCH_INDEX),
        AUTOGRADING_CONFIG: json.dumps(autograding_config(), indent=2) + "\n",
    }


def autograding_config() -> dict:
    """GitHub Classroom's autograding.json: a test per question, passing when `fastquiz check`
    exits 0 on it, worth the question's points; timeouts are in minutes."""
    from .grader.question import load_questions

    return {"tests": [
        {"name": f"{q.id}: {q.title}", "setup": "", "run": f"fastquiz check {q.id}", "input": "", "output": "",
         "comparison": "included", "timeout": math.ceil((q.time_limit + STARTUP_SECONDS) / 60), "points": q.points}
        for q in load_questions()
    ]}


def gradescope_zip(package: str) -> bytes:
    """Gradescope's autograder zip: `setup.sh` and `run_autograder` at its root, executable."""
    scripts = {
        "setup.sh": render("gradescope_setup.sh.j2", package=package, torch=TORCH, torch_index=TORCH_INDEX),
        "run_autograder": render("gradescope_run_autograder.j2"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in scripts.items():
            entry = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            entry.external_attr = 0o100755 << 16  # a regular file, rwxr-xr-x
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, text)
    return buffer.getvalue()
