"""Notebooks handed in: `fastquiz grade`, the Gradescope autograder and `check --ci` read the
answers from a notebook's `%%fastquiz` cells; the exports can ship the notebook as the starter."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from fastquiz import notebook
from fastquiz.cli import main
from fastquiz.errors import ExitCode
from fastquiz.gradescope_autograder import write_results
from fastquiz.notebook import MAGIC, NOTEBOOK
from variants.q04_list_comprehension import MUTANTS as Q04_MUTANTS
from variants.q07_rmse_l1 import MUTANTS as Q07_MUTANTS
from workspaces import ROOT, make_workspace

MODULE = "q04_list_comprehension"
WRONG_Q04 = "def double_odds(numbers):\n    return []\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write_notebook(path: Path, workspace: Path, *extra_cells: str) -> Path:
    """The notebook `fastquiz notebook` makes of `workspace`, with `extra_cells` (code) at its end."""
    nb = notebook.build(workspace)
    nb["cells"] += [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
                    for s in extra_cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb))
    return path


def gradebook(out: Path) -> dict[str, list[str]]:
    rows = list(csv.reader((out / "gradebook.csv").open()))
    return {row[0]: row[1:] for row in rows[1:]}


def test_grading_a_class_of_notebooks_gives_the_marks_of_the_same_answers_as_files(tmp_path):
    alice = make_workspace(tmp_path / "files" / "alice")
    bob = make_workspace(tmp_path / "files" / "bob")
    for mutants, module in ((Q04_MUTANTS, MODULE), (Q07_MUTANTS, "q07_rmse_l1")):
        (bob / f"{module}.py").write_text(mutants[0].apply((bob / f"{module}.py").read_text()))
    shutil.copy(ROOT / "exercises" / "q21_sigmoid.py", bob)
    (bob / "q10_broadcasting.py").write_text("raise RuntimeError('not yet')\n")
    notebooks = [write_notebook(tmp_path / "notebooks" / f"{w.name}-nb.ipynb", w) for w in (alice, bob)]
    out = tmp_path / "out"
    result = run("grade", str(alice), str(bob), *map(str, notebooks), "--out", str(out))
    assert result.exit_code == 0, result.output
    marks = gradebook(out)
    assert marks["alice-nb"] == marks["alice"] and marks["bob-nb"] == marks["bob"]
    assert marks["bob"][-3] < marks["alice"][-3]  # bob's total is lower: the comparison has teeth
    assert "alice-nb: " in result.output and "(answers read from alice-nb.ipynb)" in result.output


def test_a_notebook_s_problems_are_one_line_each_while_the_others_are_graded(tmp_path):
    stubs = make_workspace(tmp_path / "stubs", "exercises")
    twice = write_notebook(tmp_path / "twice.ipynb", stubs, f"{MAGIC} q04\n{WRONG_Q04}",
                           f"{MAGIC} q04\n" + notebook.body_of((ROOT / "solutions" / f"{MODULE}.py").read_text()))
    (tmp_path / "garbled.ipynb").write_text('{"cells": [')
    (tmp_path / "plain.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": "1 + 1"}]}))
    out = tmp_path / "out"
    result = run("grade", str(twice), str(tmp_path / "garbled.ipynb"), str(tmp_path / "plain.ipynb"),
                 "--questions", "q04", "--out", str(out))
    assert result.exit_code == ExitCode.NOT_ALL_GRADED, result.output
    lines = result.output.splitlines()
    assert "twice: 3/3 (answers read from twice.ipynb; twice.ipynb has 3 cells for q04: the last one is used)" in lines
    assert ("garbled: not graded: garbled.ipynb is not a Jupyter notebook (not valid JSON with cells): "
            "save it again from Jupyter") in lines
    assert any(line.startswith("plain: not graded: plain.ipynb has no answer cells") for line in lines)
    assert gradebook(out)["twice"][:2] == ["3", "3"]


def test_hostile_notebooks_are_refused_in_one_line_and_grading_goes_on(tmp_path):
    (tmp_path / "deep.ipynb").write_text("[" * 100_000 + "]" * 100_000)
    surrogate = tmp_path / "surrogate.ipynb"
    notebook_json = {"cells": [{"cell_type": "code", "source": f"{MAGIC} q04\nx = '\ud800'\n"}]}
    surrogate.write_text(json.dumps(notebook_json))  # json.dumps writes the lone surrogate as \ud800
    folder = tmp_path / "folder"
    (folder / f"{MODULE}.py").mkdir(parents=True)
    (folder / f"{MODULE}.py" / "notes.txt").write_text("a folder named like an answer file")
    write_notebook(folder / NOTEBOOK, make_workspace(tmp_path / "models", "solutions", ("q04",)))
    result = run("grade", str(tmp_path / "deep.ipynb"), str(surrogate), str(folder), "--questions", "q04",
                 "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.NOT_ALL_GRADED, result.output
    assert "deep: not graded: deep.ipynb is not a Jupyter notebook" in result.output
    assert "surrogate: 0/3 (answers read from surrogate.ipynb)" in result.output
    assert f"folder: not graded: {MODULE}.py in it is a folder" in result.output


def test_a_folder_s_notebook_wins_over_its_stale_files_and_the_output_says_so(tmp_path):
    folder = make_workspace(tmp_path / "carol", "exercises")
    write_notebook(folder / NOTEBOOK, make_workspace(tmp_path / "models", "solutions", ("q04",)))
    result = run("grade", str(folder), "--questions", "q04,q07", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (f"carol: 3/8 (answers read from {NOTEBOOK}; its cells replaced q04_list_comprehension.py, "
            "which differed)") in result.output
    assert (folder / f"{MODULE}.py").read_bytes() == (ROOT / "exercises" / f"{MODULE}.py").read_bytes()  # the original


def test_a_zip_wrapping_a_folder_with_a_notebook_is_graded_from_its_cells(tmp_path):
    inner = tmp_path / "dave" / "my-work"
    write_notebook(inner / "homework.ipynb", make_workspace(tmp_path / "models", "solutions", ("q04",)))
    archive = shutil.make_archive(str(tmp_path / "dave"), "zip", tmp_path / "dave")
    result = run("grade", archive, "--questions", "q04", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "dave: 3/3 (answers read from homework.ipynb)" in result.output


def test_gradescope_grades_the_notebook_a_student_uploaded(tmp_path):
    root = tmp_path / "autograder"
    models = make_workspace(tmp_path / "models", "solutions", ("q04",))
    write_notebook(root / "submission" / NOTEBOOK, models)
    results = write_results(root)
    q04 = next(t for t in results["tests"] if t["number"] == "q04")
    assert (q04["score"], q04["status"]) == (3, "passed") and results["score"] == 3
    assert results["output"].startswith(f"answers read from {NOTEBOOK}")


def test_check_ci_reads_the_answers_from_the_workspace_s_notebook_and_says_so(tmp_path):
    workspace = tmp_path / "repo"
    assert run("init", str(workspace), "--notebook").exit_code == 0
    nb = json.loads((workspace / NOTEBOOK).read_text())
    cell = next(c for c in nb["cells"] if "".join(c["source"]).startswith(f"{MAGIC} q04"))
    cell["source"] = f"{MAGIC} q04\n" + notebook.body_of((ROOT / "solutions" / f"{MODULE}.py").read_text())
    (workspace / NOTEBOOK).write_text(json.dumps(nb))
    result = run("check", "--ci", "q04", "--workspace", str(workspace))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"answers read from {NOTEBOOK}'s cells\n")
    assert "q04  List comprehensions" in result.output and "3/3" in result.output
    assert "return [2 * n for n in numbers if n % 2 == 1]" in (workspace / f"{MODULE}.py").read_text()


def test_the_exports_ship_the_notebook_as_the_starter(tmp_path):
    package = "fastquiz==0.1.0"
    assert run("export", "classroom", str(tmp_path / "template"), "--notebook", "--package", package).exit_code == 0
    starter = json.loads((tmp_path / "template" / NOTEBOOK).read_text())
    assert f'"{package}"' in "".join(starter["cells"][1]["source"])
    (tmp_path / "gs").mkdir()
    result = run("export", "gradescope", str(tmp_path / "gs" / "autograder.zip"), "--notebook")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "gs" / NOTEBOOK).is_file() and (tmp_path / "gs" / "autograder.zip").is_file()
    answers, _ = notebook.find(tmp_path / "gs")
    assert len(answers.bodies) == 39
