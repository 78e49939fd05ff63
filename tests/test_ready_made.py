"""grader/checks/_ready_made.py is fresh: every library function that the installed torch and numpy have
and that computes a product, a ReLU or a log-softmax by itself is banned where an exercise asks the
student to build one (the file may keep names that only other versions have)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fastquiz.grader.checks import _ready_made

ROOT = Path(__file__).resolve().parents[1]
DERIVE = "import json, build_ready_made; print(json.dumps(build_ready_made.ready_made()))"


def test_every_ready_made_function_of_the_installed_libraries_is_listed():
    done = subprocess.run([sys.executable, "-c", DERIVE], cwd=ROOT / "scripts", capture_output=True, text=True,
                          timeout=300)  # in a process of its own: probing calls thousands of library functions
    assert done.returncode == 0, done.stderr[-2000:]
    for what, names in json.loads(done.stdout.strip().splitlines()[-1]).items():
        missing = sorted(set(names) - getattr(_ready_made, what))
        assert missing == [], f"{what} lacks {missing}: run scripts/build_ready_made.py"
    assert {"vecdot", "addmv", "addbmm", "baddbmm", "mm", "einsum"} <= _ready_made.PRODUCTS
