"""Golden outputs, as exercism's test runners keep them: each folder of tests/golden/ is a scenario, a
submission (three answers: see SUBMISSIONS) and the exact files `fastquiz grade` writes for it (results.json, junit.xml, the
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
ROOT = GOLDEN.parents[1]
QUESTIONS = ("q04_list_comprehension", "q07_rmse_l1", "q09_three_by_three")
# scenario -> the folder its submission's answers come from: the model answers and the stubs as they
# are in the bank (a copy would stop being a stub once the stub changes), the mistakes of their own
SUBMISSIONS = {"model-answers": ROOT / "solutions", "stubs": ROOT / "exercises",
               "mistakes": GOLDEN / "mistakes" / "submission"}
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


@pytest.mark.parametrize("scenario", sorted(SUBMISSIONS))
def test_grade_writes_the_golden_files_of_each_scenario(scenario, tmp_path):
    submission = tmp_path / scenario
    submission.mkdir()
    for module in QUESTIONS:
        shutil.copy(SUBMISSIONS[scenario] / f"{module}.py", submission)
    ids = [module.split("_", 1)[0] for module in QUESTIONS]
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
