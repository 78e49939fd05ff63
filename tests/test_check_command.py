"""`fastquiz check`: one line per question, a score, --json, and exit codes that CI can use."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader.question import BANK_VERSION

ROOT = Path(__file__).resolve().parents[1]
MODULE = "q04_list_comprehension"

pytestmark = pytest.mark.usefixtures("workers")  # forked and spawned workers alike


def check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def workspace(tmp_path: Path, folder: str) -> Path:
    target = tmp_path / folder
    target.mkdir()
    shutil.copy(ROOT / folder / f"{MODULE}.py", target)
    return target


def test_a_passing_question_prints_its_line_and_exits_zero(tmp_path):
    result = check("q4", "--workspace", str(workspace(tmp_path, "solutions")))
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("q04"))
    assert "List comprehensions" in line and "passed" in line and "3/3" in line


def test_a_failing_question_shows_the_first_useful_message_and_exits_one(tmp_path):
    folder = workspace(tmp_path, "solutions")
    answer = folder / f"{MODULE}.py"
    answer.write_text(answer.read_text().replace("2 * n", "3 * n"))
    result = check("q04", "--workspace", str(folder))
    assert result.exit_code == 1
    assert "failed" in result.output and "double_odds(" in result.output


def test_json_output_has_the_documented_schema(tmp_path):
    out = tmp_path / "results.json"
    result = check("q04", "--workspace", str(workspace(tmp_path, "exercises")), "--json", str(out))
    assert result.exit_code == 1
    data = json.loads(out.read_text())
    assert set(data) == {"bank", "score", "max_score", "questions"} and data["bank"] == BANK_VERSION
    (question,) = data["questions"]
    assert {"id", "title", "status", "score", "max_score", "message"} <= set(question)
    assert (question["id"], question["status"], data["score"]) == ("q04", "not_started", 0)


def test_a_half_answered_question_names_its_parts_not_started_yet(tmp_path):
    folder = workspace(tmp_path, "exercises")
    model = (ROOT / "solutions" / "q11_validation_metrics.py").read_text()
    (folder / "q11_validation_metrics.py").write_text(model.replace('WHY = "b"', "WHY = None"))
    result = check("q11", "--workspace", str(folder))
    assert result.exit_code == 1 and "not started yet: explains why" in result.output


def test_an_unknown_question_is_a_usage_error(tmp_path):
    result = check("q99", "--workspace", str(workspace(tmp_path, "exercises")))
    assert result.exit_code == 2 and "no question 'q99'" in result.output


def test_a_folder_without_exercises_gets_one_line_that_says_what_to_do(tmp_path):
    result = check("--workspace", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_why_question_shows_what_its_experiment_measured(tmp_path):
    """q22's checks record what nudging one weight does to the loss and to the accuracy: check shows those numbers
    under the question's line."""
    folder = tmp_path / "answers"
    folder.mkdir()
    shutil.copy(ROOT / "solutions" / "q22_loss_vs_metric.py", folder)
    result = check("q22", "--workspace", str(folder))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    measured = lines[next(i for i, line in enumerate(lines) if line.startswith("q22")) + 1]
    assert measured.strip().startswith("measured: loss change, tiny nudge of 0.001 ")
    assert "accuracy change, large nudge of 3 " in measured


def test_an_answer_that_uses_torch_optim_finds_what_its_optimiser_loads_already_imported(tmp_path):
    """torch.optim imports torch._dynamo as the first optimiser is built: 1.2 s of the answer's CPU
    time in every worker, unless the worker's origin imported it first. This answer is right only
    where that was done."""
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "q25_sgd_epoch.py").write_text(
        "import sys\n"
        "import torch\n"
        "from fastquiz.reference import mnist_loss\n"
        "assert 'torch._dynamo' in sys.modules, 'torch._dynamo was not imported before the answer'\n\n\n"
        "def train_epoch(model, batches, params, lr):\n"
        "    opt = torch.optim.SGD(params, lr=lr)\n"
        "    for xb, yb in batches:\n"
        "        mnist_loss(model(xb), yb).backward()\n"
        "        opt.step()\n"
        "        opt.zero_grad()\n")
    result = check("q25", "--workspace", str(folder))
    assert result.exit_code == 0, result.output
