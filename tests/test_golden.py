"""Golden outputs, as exercism's test runners keep them: each folder of tests/golden/ is a scenario, a
submission and the exact files `fastquiz grade` writes for it (results.json, junit.xml, the
class's gradebook.csv), with what varies from run to run (times, the machine's isolation, paths)
masked. A change of format or of a message shows up here as a diff.

    FASTQUIZ_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py   # write them anew, then read the diff
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main

GOLDEN = Path(__file__).with_name("golden")
SCENARIOS = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
OUTPUTS = ("results.json", "junit.xml", "gradebook.csv")


def masked(name: str, text: str) -> str:
    """The file as it would be on any machine, on any run."""
    if name == "results.json":
        data = json.loads(text)
        data["execution_time"] = "TIME"
        data.get("extra_data", {})["isolation"] = "ISOLATION"
        return json.dumps(data, indent=2, sort_keys=True) + "\n"
    text = re.sub(r'time="[0-9.]+"', 'time="TIME"', text)
    text = re.sub(r'timestamp="[^"]*"', 'timestamp="TIMESTAMP"', text)
    return re.sub(r'hostname="[^"]*"', 'hostname="HOST"', text)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_grade_writes_the_golden_files_of_each_scenario(scenario, tmp_path):
    submission = shutil.copytree(GOLDEN / scenario / "submission", tmp_path / scenario)
    ids = sorted(p.name.split("_", 1)[0] for p in submission.glob("[qr][0-9]*.py"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["grade", str(submission), "--out", str(out), "--questions", ",".join(ids)])
    assert result.exit_code == 0, result.output
    for name in OUTPUTS:
        written = out / (name if name == "gradebook.csv" else f"{scenario}/{name}")
        got = masked(name, written.read_text())
        golden = GOLDEN / scenario / "expected" / name
        if os.environ.get("FASTQUIZ_UPDATE_GOLDEN"):
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(got)
        assert got == golden.read_text(), f"{scenario}/{name} differs from its golden file (see the module's docstring)"
