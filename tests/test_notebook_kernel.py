"""The notebook that `fastquiz init --notebook` writes, run cell by cell in a real Jupyter kernel
(nbclient and ipykernel): its set-up cell, every answer cell, and the report cell."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from nbclient import NotebookClient

from fastquiz.cli import main
from fastquiz.jupyter.display import RESULT_MIME
from fastquiz.notebook import MAGIC, NOTEBOOK
from fastquiz.workspace import answer_files
from variants.q07_rmse_l1 import MUTANTS
from workspaces import ROOT

KERNEL_SECONDS = 600  # one cell may wait for the helper's first start, on a slow and busy machine
IMPORTED = "import sys; print(sorted(m for m in sys.modules if m == 'torch' or m.startswith('fastquiz.grader.')))"


@pytest.fixture
def workspace(tmp_path) -> Path:
    folder = tmp_path / "answers"
    assert CliRunner().invoke(main, ["init", str(folder), "--notebook"]).exit_code == 0
    return folder


def load(workspace: Path) -> nbformat.NotebookNode:
    return nbformat.read(workspace / NOTEBOOK, as_version=4)


def answer_cells(nb) -> dict[str, nbformat.NotebookNode]:
    return {c.source.split()[1]: c for c in nb.cells if c.cell_type == "code" and c.source.startswith(MAGIC)}


def execute(nb, workspace: Path, *extra: str, allow_errors: bool = False) -> list:
    """Run every cell with the workspace as the kernel's folder, then the `extra` cells; the extra cells' outputs."""
    nb.cells += [nbformat.v4.new_code_cell(source) for source in extra]
    NotebookClient(nb, timeout=KERNEL_SECONDS, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(workspace)}}).execute()
    return [cell.outputs for cell in nb.cells[len(nb.cells) - len(extra):]]


def results(nb) -> dict[str, dict]:
    """Each answer cell's result, by question id, as the cell showed it."""
    found = {}
    for qid, cell in answer_cells(nb).items():
        (shown,) = [o for o in cell.outputs if RESULT_MIME in o.get("data", {})]
        assert "text/html" in shown.data and "text/plain" in shown.data
        found[qid] = shown.data[RESULT_MIME]
    return found


def printed(outputs: list) -> str:
    return "".join(o.get("text", "") for o in outputs if o.output_type == "stream")


def test_with_the_stubs_every_question_reports_not_started_and_torch_stays_out_of_the_kernel(workspace):
    nb = load(workspace)
    (imported,) = execute(nb, workspace, IMPORTED)
    assert {r["status"] for r in results(nb).values()} == {"not_started"}
    assert len(results(nb)) == 39
    report = nb.cells[-2].outputs  # the notebook's own last cell: fastquiz.show_report()
    assert any("<iframe srcdoc=" in o.get("data", {}).get("text/html", "") for o in report)
    metadata_only = "['fastquiz.grader.protocol', 'fastquiz.grader.question', 'fastquiz.grader.results']"
    assert printed(imported).strip() == metadata_only


def test_with_the_model_answers_the_whole_notebook_runs_top_to_bottom_with_full_marks(workspace):
    nb = load(workspace)
    models = {path.name.split("_", 1)[0]: path for path in answer_files(ROOT / "solutions")}
    for qid, cell in answer_cells(nb).items():
        cell.source = f"{MAGIC} {qid}\n{models[qid].read_text()}"
    execute(nb, workspace)  # every cell, the report's included: an error in any of them fails the run
    shown = results(nb)
    assert {qid: r["status"] for qid, r in shown.items()} == {qid: "passed" for qid in models}
    assert all(r["score"] == r["max_score"] > 0 for r in shown.values())
    assert shown["q21"]["plots"] == shown["q34"]["plots"] == 2  # the curve over the reference, and their own figure
    (report,) = [o.data for o in nb.cells[-1].outputs if "text/plain" in o.get("data", {})]
    total = sum(r["max_score"] for r in shown.values())
    assert report["text/plain"].splitlines()[-1] == f"score: {total}/{total}"
    assert "<iframe srcdoc=" in report["text/html"]
    for qid, model in models.items():
        assert (workspace / model.name).read_bytes() == model.read_bytes(), qid


def test_a_wrong_answer_shows_its_failure_and_its_line_in_the_cell(workspace):
    nb = load(workspace)
    cells = answer_cells(nb)
    cells["q04"].source = f"{MAGIC} q04\ndef double_odds(numbers):\n    ratio = 1 / 0\n    return [ratio]\n"
    cells["q07"].source = f"{MAGIC} q07\n" + MUTANTS[0].apply((ROOT / "solutions" / "q07_rmse_l1.py").read_text())
    nb.cells = [nb.cells[1], cells["q04"], cells["q07"]]  # the set-up cell, then the two answers
    (hint,) = execute(nb, workspace, 'fastquiz.hint("q04", level=2)')
    shown = results(nb)
    assert shown["q04"]["status"] == "error"
    assert shown["q04"]["message"] == "ZeroDivisionError: division by zero (line 3 of the cell)"
    assert shown["q07"]["status"] == "failed" and shown["q07"]["message"]
    html = next(o.data["text/html"] for o in cells["q04"].outputs if RESULT_MIME in o.get("data", {}))
    assert "Hint 1 of 2" in html and "Hint 2 of 2" in html  # each level behind a button of its own
    (hints,) = [o for o in hint if "text/plain" in o.get("data", {})]
    assert "q04 hint 2/2" in hints.data["text/plain"]


def test_a_cell_naming_no_question_is_one_line_and_no_traceback(workspace):
    nb = load(workspace)
    nb.cells = [nb.cells[1]]  # the set-up cell
    magic, call = execute(nb, workspace, f"{MAGIC} q99\nx = 1", 'fastquiz.check("q99")', allow_errors=True)
    line = "UsageError: no question 'q99': ids are q01-q37, r1 and r2\n"
    assert [(o.output_type, o.name, o.text) for o in magic + call] == [("stream", "stderr", line)] * 2
