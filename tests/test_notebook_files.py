"""The notebook as a file: written from a workspace, read back for its answer cells, and each cell
saved as an answer file without ever losing work (no kernel here: see test_notebook_kernel.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from fastquiz import notebook
from fastquiz.cli import main
from fastquiz.notebook import NOTEBOOK, NotebookError
from fastquiz.workspace import MARKER_DIR, answer_files, stubs_dir
from workspaces import ROOT, make_workspace

MODULE = "q04_list_comprehension"
WRONG_Q04 = "def double_odds(numbers):\n    return []\n"


def cells_of(nb: dict, kind: str) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def notebook_with(path: Path, *sources: str) -> Path:
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
             for s in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


@pytest.fixture
def workspace(tmp_path) -> Path:
    folder = tmp_path / "answers"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    return folder


@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_every_answer_file_is_its_head_above_the_body_its_cell_shows(folder):
    for path in answer_files(ROOT / folder):
        source = path.read_text()
        assert notebook.compose(notebook.body_of(source), source)[0] == source, path.name
        assert '"""' not in notebook.body_of(source).splitlines()[0], path.name


def test_the_notebook_has_a_set_up_cell_then_a_prompt_and_an_answer_cell_per_question(workspace):
    nb = notebook.build(workspace)
    nbformat.validate(nbformat.from_dict(nb))
    code, prompts = cells_of(nb, "code"), cells_of(nb, "markdown")
    assert "%load_ext fastquiz" in code[0]
    answers = [c for c in code if c.startswith("%%fastquiz ")]
    assert [a.split()[1] for a in answers] == list(notebook.modules())
    q04 = answers[3]
    assert q04.splitlines()[1] == "def double_odds(numbers: list[int]) -> list[int]:"
    assert "Question 4: List comprehensions" not in q04  # the prompt is in the markdown cell only
    assert any(p.startswith("### Question 4: List comprehensions") and "double_odds" in p for p in prompts)
    assert code[-1].strip() == "fastquiz.show_report()"


def test_the_set_up_cell_installs_the_package_given_and_keeps_the_torch_that_is_there(workspace):
    setup = cells_of(notebook.build(workspace, "fastquiz @ https://example.org/f.whl"), "code")[0]
    assert '"fastquiz @ https://example.org/f.whl"' in setup and "torch==" in setup
    assert 'find_spec("fastquiz") is None' in setup  # installs only where it is missing


def test_init_notebook_writes_it_and_fastquiz_notebook_refuses_to_overwrite_it(tmp_path):
    folder = tmp_path / "answers"
    result = CliRunner().invoke(main, ["init", str(folder), "--notebook"])
    assert result.exit_code == 0, result.output
    before = (folder / NOTEBOOK).read_bytes()
    again = CliRunner().invoke(main, ["notebook", "--workspace", str(folder)])
    assert again.exit_code == 1 and "already exists: nothing was changed" in again.output
    assert (folder / NOTEBOOK).read_bytes() == before


def test_fastquiz_notebook_fills_each_cell_with_the_current_answer(workspace):
    (workspace / f"{MODULE}.py").write_text((ROOT / "solutions" / f"{MODULE}.py").read_text())
    out = workspace / "mine.ipynb"
    result = CliRunner().invoke(main, ["notebook", "--workspace", str(workspace), "--out", str(out)])
    assert result.exit_code == 0, result.output
    bodies = notebook.read(out).bodies
    for module, folder in ((MODULE, ROOT / "solutions"), ("q07_rmse_l1", stubs_dir())):
        assert bodies[module].rstrip() == notebook.body_of((folder / f"{module}.py").read_text()).rstrip()


def test_a_question_s_cell_twice_gives_the_last_one_and_says_so(tmp_path):
    path = notebook_with(tmp_path / "a.ipynb", "%%fastquiz q04\nfirst = 1\n", "%%fastquiz q4\nlast = 2\n")
    answers = notebook.read(path)
    assert answers.bodies == {MODULE: "last = 2\n"}
    assert answers.notes == ["a.ipynb has 2 cells for q04: the last one is used"]


def test_a_cell_naming_no_question_is_left_out_and_said(tmp_path):
    answers = notebook.read(notebook_with(tmp_path / "a.ipynb", "%%fastquiz q99\nx = 1\n", "%%fastquiz q04\ny = 2"))
    assert list(answers.bodies) == [MODULE]
    assert answers.notes == ["a.ipynb: no question 'q99': ids are q01-q37, r1 and r2: left out"]


@pytest.mark.parametrize("content, problem", [
    ("{not json", "a.ipynb is not a Jupyter notebook (not valid JSON with cells): save it again from Jupyter"),
    (json.dumps({"cells": [{"cell_type": "code", "source": "print(1)"}]}), "a.ipynb has no answer cells"),
])
def test_a_notebook_that_is_not_json_or_has_no_answer_cells_is_one_clear_line(tmp_path, content, problem):
    (tmp_path / "a.ipynb").write_text(content)
    with pytest.raises(NotebookError) as error:
        notebook.read(tmp_path / "a.ipynb")
    assert error.value.message.startswith(problem) and "\n" not in error.value.message


def test_saving_a_cell_keeps_the_file_s_docstring_above_it(workspace):
    saved = notebook.save(workspace, MODULE, WRONG_Q04)
    text = (workspace / f"{MODULE}.py").read_text()
    assert text.startswith('"""Question 4: List comprehensions') and text.endswith(WRONG_Q04)
    assert saved.note == "" and text.splitlines()[saved.head_lines] == "def double_odds(numbers):"


def test_a_cell_that_starts_with_a_docstring_is_the_whole_file(workspace):
    model = (ROOT / "solutions" / f"{MODULE}.py").read_text()
    notebook.save(workspace, MODULE, model)
    assert (workspace / f"{MODULE}.py").read_text() == model


def test_a_file_changed_outside_the_notebook_is_backed_up_before_the_cell_is_saved(workspace):
    notebook.save(workspace, MODULE, WRONG_Q04)
    answer = workspace / f"{MODULE}.py"
    answer.write_text("# edited in an editor\n" + answer.read_text())
    saved = notebook.save(workspace, MODULE, "def double_odds(numbers):\n    return [1]\n")
    (backup,) = (workspace / MARKER_DIR / "backups").iterdir()
    assert backup.read_text().startswith("# edited in an editor")
    assert "had changes made outside this notebook" in saved.note and backup.name in saved.note
    assert answer.read_text().endswith("return [1]\n")


def test_a_file_saved_by_the_notebook_is_replaced_without_a_backup(workspace):
    notebook.save(workspace, MODULE, WRONG_Q04)
    saved = notebook.save(workspace, MODULE, "def double_odds(numbers):\n    return [1]\n")
    assert saved.note == "" and not (workspace / MARKER_DIR / "backups").exists()


def test_a_cell_still_holding_the_stub_never_replaces_work_done_elsewhere(workspace):
    answer = workspace / f"{MODULE}.py"
    answer.write_text((ROOT / "solutions" / f"{MODULE}.py").read_text())
    stub_body = notebook.body_of((stubs_dir() / f"{MODULE}.py").read_text())
    saved = notebook.save(workspace, MODULE, stub_body)
    assert saved.checked_file and "the file was checked" in saved.note
    assert answer.read_text() == (ROOT / "solutions" / f"{MODULE}.py").read_text()


def test_a_message_s_line_in_the_file_becomes_the_line_in_the_cell(workspace):
    saved = notebook.save(workspace, MODULE, "def double_odds(numbers):\n    return 1 / 0\n")
    file_line = saved.head_lines + 2  # the body's second line; the cell's third, under the magic
    message = f"ZeroDivisionError: division by zero ({MODULE}.py:{file_line}) while loading {MODULE}.py"
    assert saved.in_cell(message) == "ZeroDivisionError: division by zero (line 3 of the cell) while running the cell"


def test_importing_fastquiz_loads_neither_torch_nor_the_grader():
    code = ("import sys, fastquiz, fastquiz.jupyter.kernel; "
            "print(sorted(m for m in sys.modules if m == 'torch' or m.startswith('fastquiz.grader.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['fastquiz.grader.protocol', 'fastquiz.grader.question', 'fastquiz.grader.results']"
    # the questions' metadata, and the statuses of results (protocol.py imports nothing but the standard library)


def test_unpacking_a_notebook_writes_each_cell_below_the_stub_s_prompt(tmp_path):
    models = make_workspace(tmp_path / "models")
    path = tmp_path / "models.ipynb"
    path.write_text(json.dumps(notebook.build(models)))
    out = tmp_path / "unpacked"
    out.mkdir()
    assert notebook.unpack(notebook.read(path), out) == ["answers read from models.ipynb"]
    for model in answer_files(models):
        unpacked = (out / model.name).read_text()
        assert notebook.body_of(unpacked) == notebook.body_of(model.read_text())
        assert unpacked.startswith((stubs_dir() / model.name).read_text().split("\n", 1)[0])
