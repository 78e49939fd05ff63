"""`fastquiz grade`: every submission's results, the class's files, and a clear line for each
submission that can't be graded while the others are graded as usual; a command line that can't
work is a usage error before any work, and the exit code says whether every submission was graded."""
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
from fastquiz.errors import ExitCode
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
    summary = json.loads((out / "summary.json").read_text())["submissions"]
    assert [(s["name"], s["folder"]) for s in summary] == [("alice", "alice"), ("bob", "bob")]
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
    (entry,) = json.loads((out / "summary.json").read_text())["submissions"]
    assert entry["name"] == "alice" and entry["folder"] == "alice-2"


def test_summary_json_names_the_folder_of_a_submission_whose_name_is_rewritten(tmp_path):
    odd = make_workspace(tmp_path / "=1+2", "solutions", ("q04",))
    result = grade(str(odd), "--questions", "q04", "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.OK, result.output
    (entry,) = json.loads((tmp_path / "out" / "summary.json").read_text())["submissions"]
    assert entry["name"] == "=1+2" and entry["folder"] != entry["name"]
    assert json.loads((tmp_path / "out" / entry["folder"] / "results.json").read_text())["score"] == 3


def test_questions_takes_ids_as_a_student_types_them(tmp_path):
    alice = make_workspace(tmp_path / "alice", "solutions", ("q04", "q09"))
    result = grade(str(alice), "--questions", "q4, Q09", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    tests = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())["tests"]
    assert [t["number"] for t in tests] == ["q04", "q09"]


# --- command lines that can't work: usage errors before any work, nothing written -------------

def test_an_unknown_question_is_a_usage_error(tmp_path):
    result = grade(str(tmp_path), "--questions", "q04,q99", "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE and "no question 'q99'" in result.output
    assert not (tmp_path / "out").exists()


def test_a_submission_that_does_not_exist_is_a_usage_error(tmp_path):
    alice = make_workspace(tmp_path / "alice", "solutions", ("q04",))
    result = grade(str(alice), str(tmp_path / "nope"), "--questions", "q04", "--out", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.USAGE and f"{tmp_path / 'nope'}: no such file or folder" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("out", ["notes.txt", "notes.txt/out"], ids=["a file", "below a file"])
def test_an_out_folder_that_cannot_be_written_is_a_usage_error(tmp_path, out):
    alice = make_workspace(tmp_path / "alice", "solutions", ("q04",))
    (tmp_path / "notes.txt").write_text("mine")
    result = grade(str(alice), "--questions", "q04", "--out", str(tmp_path / out))
    assert result.exit_code == ExitCode.USAGE and f"Invalid value for '--out': can't write {tmp_path / out}" in result.output
    assert "isolation" not in result.output  # nothing done: not even the sandbox's trial
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alice", "notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "mine"


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
    sources = [alice, bob, root / "mallory.zip", root / "empty", carol, dave, twin]
    out = root / "out"
    result = grade(*map(str, sources), "--questions", "q04", "--out", str(out))
    assert result.exit_code == ExitCode.NOT_ALL_GRADED, result.output
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
    assert output.splitlines()[-1] == f"graded 2 of 7 submissions into {out}"
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["alice", "bob"]
    rows = {row["submission"]: row for row in csv.DictReader((out / "gradebook.csv").open())}
    assert rows["bob"]["total"] == "0" and rows["empty"]["problem"] == "is an empty folder"
    summary = json.loads((out / "summary.json").read_text())["submissions"]
    assert {s["name"]: s["folder"] for s in summary if s["name"] != "alice"} == {
        "bob": "bob", "mallory": None, "empty": None, "carol": None, "dave": None}


def test_the_class_page_lists_the_submissions_that_could_not_be_graded(bad_class):
    _, out = bad_class
    page = (out / "class.html").read_text()
    assert "Not graded" in page and "is an empty folder" in page and "unsafe entry" in page
