"""`fastquiz grade`: every submission's results, the class's files, and a clear line for each
submission that can't be graded while the others are graded as usual."""
from __future__ import annotations

import csv
import json
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from workspaces import ROOT, make_workspace

ESCAPED = f"escaped-{os.getpid()}.py"


def grade(*args: str):
    return CliRunner().invoke(main, ["grade", *args])


def test_each_submission_gets_its_results_and_the_class_its_gradebook_summary_and_page(tmp_path):
    alice = make_workspace(tmp_path / "alice", "solutions", ("q04",))
    bob = make_workspace(tmp_path / "bob", "exercises", ("q04",))
    out = tmp_path / "out"
    result = grade(str(alice), str(bob), "--questions", "q04", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "alice: 3/3" in result.output and "bob: 0/3" in result.output
    for name in ("alice", "bob"):
        tests = json.loads((out / name / "results.json").read_text())["tests"]
        assert [t["number"] for t in tests] == ["q04"]
        assert (out / name / "junit.xml").is_file()
    rows = list(csv.reader((out / "gradebook.csv").open()))
    assert rows[0] == ["submission", "q04", "total", "max", "problem"]
    assert rows[1:] == [["alice", "3", "3", "3", ""], ["bob", "0", "0", "3", ""]]
    assert [s["name"] for s in json.loads((out / "summary.json").read_text())["submissions"]] == ["alice", "bob"]
    assert "List comprehensions" in (out / "class.html").read_text()


def test_a_file_in_the_out_folder_is_kept_and_the_submission_of_its_name_goes_beside_it(tmp_path):
    alice = make_workspace(tmp_path / "alice", "solutions", ("q04",))
    out = tmp_path / "out"
    out.mkdir()
    (out / "alice").write_text("my notes")
    result = grade(str(alice), "--questions", "q04", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "alice: 3/3 (in alice-2)" in result.output and (out / "alice").read_text() == "my notes"
    assert json.loads((out / "alice-2" / "results.json").read_text())["score"] == 3


def test_questions_takes_ids_as_a_student_types_them(tmp_path):
    alice = make_workspace(tmp_path / "alice", "solutions", ("q04", "q09"))
    result = grade(str(alice), "--questions", "q4, Q09", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    tests = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())["tests"]
    assert [t["number"] for t in tests] == ["q04", "q09"]


def test_an_unknown_question_is_a_usage_error(tmp_path):
    result = grade(str(tmp_path), "--questions", "q04,q99", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "no question 'q99'" in result.output


# --- submissions that can't be graded ---------------------------------------------------------

@pytest.fixture(scope="module")
def bad_class(tmp_path_factory) -> tuple[str, Path]:
    """One grading run over good submissions and every kind of bad one."""
    root = tmp_path_factory.mktemp("class")
    alice = make_workspace(root / "alice", "solutions", ("q04",))
    bob = make_workspace(root / "bob", "exercises", ("q04",))
    with zipfile.ZipFile(root / "mallory.zip", "w") as archive:
        archive.write(ROOT / "solutions" / "q04_list_comprehension.py", "q04_list_comprehension.py")
        archive.writestr(f"../../{ESCAPED}", "print('out of the sandbox')\n")
    (root / "empty").mkdir()
    carol = make_workspace(root / "carol", "solutions", ("q04",))
    os.mkfifo(carol / "notes")  # no process writes to it: reading would block, not fail
    dave = make_workspace(root / "dave", "solutions", ("q04",))
    (dave / "q05_rank3_tensor.py").symlink_to(root / "nowhere.py")
    twin = make_workspace(root / "resubmitted" / "alice", "exercises", ("q04",))
    sources = [alice, bob, root / "mallory.zip", root / "ghost", root / "empty", carol, dave, twin]
    out = root / "out"
    result = grade(*map(str, sources), "--questions", "q04", "--out", str(out))
    assert result.exit_code == 0, result.output
    return result.output, out


def problem_of(out: Path, name: str) -> str:
    """What summary.json says about the last submission called `name`."""
    entries = [s for s in json.loads((out / "summary.json").read_text())["submissions"] if s["name"] == name]
    return entries[-1].get("problem", "")


def test_a_zip_with_parent_paths_is_not_unpacked(bad_class):
    output, out = bad_class
    assert "mallory: not graded: the zip holds an unsafe entry '../../" in output
    assert "unsafe entry" in problem_of(out, "mallory")
    assert not any((Path(d) / ESCAPED).exists() for d in (tempfile.gettempdir(), out.parent, out.parent.parent))


def test_a_missing_path_is_reported_as_missing(bad_class):
    output, out = bad_class
    assert "ghost: not graded: does not exist" in output
    assert problem_of(out, "ghost") == "does not exist"


def test_an_empty_folder_is_reported_as_empty(bad_class):
    output, out = bad_class
    assert "empty: not graded: is an empty folder" in output
    assert problem_of(out, "empty") == "is an empty folder"


@pytest.mark.parametrize("name, unreadable", [("carol", "notes"), ("dave", "q05_rank3_tensor.py")],
                         ids=["a named pipe", "a broken link"])
def test_a_file_that_cannot_be_read_is_named_in_one_line(bad_class, name, unreadable):
    # chmod 000 would not do: the tests run as root, who reads any file
    output, out = bad_class
    line = next(line for line in output.splitlines() if line.startswith(f"{name}:"))
    assert line == f"{name}: not graded: {problem_of(out, name)}"
    assert f"can't read {unreadable} in it" in line and "fastquiz-grade-" not in line


def test_a_second_submission_with_the_same_name_is_not_graded_and_the_first_is(bad_class):
    output, out = bad_class
    assert "alice: 3/3" in output
    assert "alice: not graded: another submission is also named 'alice'" in output
    assert json.loads((out / "alice" / "results.json").read_text())["score"] == 3  # the first one's


def test_the_good_submissions_are_graded_as_usual_beside_the_bad_ones(bad_class):
    output, out = bad_class
    assert output.splitlines()[-1] == f"graded 2 of 8 submissions into {out}"
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["alice", "bob"]
    rows = {row["submission"]: row for row in csv.DictReader((out / "gradebook.csv").open())}
    assert rows["bob"]["total"] == "0" and rows["ghost"]["problem"] == "does not exist"


def test_the_class_page_lists_the_submissions_that_could_not_be_graded(bad_class):
    _, out = bad_class
    page = (out / "class.html").read_text()
    assert "Not graded" in page and "is an empty folder" in page and "does not exist" in page
