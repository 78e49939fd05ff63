"""`fastquiz grade` over a class that hands in whatever it likes: names of any bytes, zips that
are bombs or escape their folder, folders too large. The run finishes; each odd submission gets
one line; every other one gets its full results; the outputs parse; nothing is written outside
--out and the scratch folder; and the grader's memory stays bounded."""
from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import pytest

from fastquiz.errors import ExitCode
from hostile import (SYMLINK, entry, folder_of_many, folder_with_fifo, folder_with_sparse_file, run_measured,
                     zip_bomb, zip_lying_about_sizes, zip_of, zip_of_many, zip_too_large_in_total, zip_with_entry,
                     zip_with_raw_name)
from workspaces import make_workspace

QUESTIONS = ("q04", "q07")
MAX_PEAK_MIB = 512  # the largest process of the run: some 280 MiB for an honest class as for this one

# submission (its file name, as bytes) -> its name in the outputs, and its output folder
GRADED_FOLDERS = {
    b"alice": ("alice", "alice"),
    b"Alice": ("Alice", "Alice-2"),                     # a case twin: its own folder on macOS and Windows too
    b"caf\xe9": ("caf\\xe9", "caf_xe9"),                # Latin-1, from an old zip tool
    b"two\nlines": ("two\\x0alines", "two_x0alines"),
    b"\x1b[31mred": ("\\x1b[31mred", "_x1b_31mred"),
    b"=1+2": ("=1+2", "_1_2"),
    b"@SUM(1+1)": ("@SUM(1+1)", "_SUM_1_1_"),
    b"x" * 250: ("x" * 250, "x" * 64),
    b"gradebook.csv": ("gradebook.csv", "gradebook.csv-2"),
    b"CON": ("CON", "_CON"),
}
GRADED_ZIPS = {b"...zip": ("..", "submission"), b".zip": (".zip", "zip"), b"nested.zip": ("nested", "nested"),
               b"old-tool.zip": ("old-tool", "old-tool")}


def refused(root: Path) -> dict[bytes, tuple[str, str]]:
    """Each refused submission, made under `root` -> (its name, the start of its one line)."""
    subs = root / "subs"
    zip_bomb(subs / "bomb.zip")
    zip_lying_about_sizes(subs / "liar.zip")
    zip_of_many(subs / "many.zip", 100_000)
    zip_too_large_in_total(subs / "huge.zip", 101)
    zip_with_entry(subs / "link.zip", entry("notes", SYMLINK), b"/etc/shadow")
    zip_with_entry(subs / "escape.zip", entry("../../escaped.py"), b"print('out')\n")
    folder_with_sparse_file(subs / "sparse", "weights.bin", 10 << 30)
    folder_with_fifo(subs / "fifo")
    folder_of_many(subs / "crowded", 2_001)
    return {
        b"bomb.zip": ("bomb", "the zip's entry 'bomb.bin' unpacks more than 200 times larger"),
        b"liar.zip": ("liar", "is a damaged zip file"),
        b"many.zip": ("many", "holds more than 2,000 files and folders"),
        b"huge.zip": ("huge", "holds more than 100 MB of files"),
        b"link.zip": ("link", "the zip holds a link or a special file 'notes'"),
        b"escape.zip": ("escape", "the zip holds an unsafe entry '../../escaped.py'"),
        b"sparse": ("sparse", "weights.bin in it is 10240 MB; a file may be at most 20 MB"),
        b"fifo": ("fifo", "can't read notes in it (a link, a pipe or a device"),
        b"crowded": ("crowded", "holds more than 2,000 files and folders"),
    }


def graded(root: Path) -> None:
    subs = root / "subs"
    for raw in GRADED_FOLDERS:
        make_workspace(subs / os.fsdecode(raw), "solutions", QUESTIONS)
    model = make_workspace(root / "model", "solutions", QUESTIONS)
    answers = {path.name: path.read_bytes() for path in model.iterdir()}
    zip_of(subs / "...zip", answers)
    zip_of(subs / ".zip", {f"ws/{name}": data for name, data in answers.items()})
    zip_of(subs / "nested.zip", {**answers, "inner.zip": zip_bomb(root / "inner.zip").read_bytes()})
    zip_with_raw_name(subs / "old-tool.zip", "caf\xe9".encode("latin-1"), answers)


HYPOTHESIS_CACHE = ".hypothesis"  # where hypothesis keeps its cache unless told otherwise


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every path under `folders`, with its size and modification time."""
    return {str(p): (p.lstat().st_size, p.lstat().st_mtime_ns) for folder in folders for p in folder.rglob("*")}


class Run(NamedTuple):
    stdout: str
    stderr: str
    code: int
    peak_kib: int                              # of the run's largest process
    out: Path
    cwd: Path
    before: dict                               # snapshots of the submissions, $TMPDIR and the current folder
    after: dict
    refusals: dict[bytes, tuple[str, str]]     # as `refused` gives them


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    (root / "subs").mkdir()
    graded(root)
    expected_refusals = refused(root)
    tmp, cwd, out = root / "tmp", root / "cwd", root / "out"
    tmp.mkdir(), cwd.mkdir()
    sources = [root / "subs" / os.fsdecode(raw) for raw in [*GRADED_FOLDERS, *GRADED_ZIPS, *expected_refusals]]
    before = snapshot(root / "subs", tmp, cwd)
    command = [sys.executable, "-m", "fastquiz", "grade", *map(os.fsencode, sources),
               "--out", str(out), "--questions", ",".join(QUESTIONS)]
    done, code, peak_kib = run_measured(command, cwd=cwd, env={**os.environ, "TMPDIR": str(tmp)}, timeout=600)
    after = snapshot(root / "subs", tmp, cwd)
    return Run(done.stdout.decode(), done.stderr.decode(), code, peak_kib, out, cwd, before, after, expected_refusals)


def test_the_run_finishes_and_grades_every_submission_it_can(run):
    assert run.code == ExitCode.NOT_ALL_GRADED, run.stderr  # the refused ones
    graded = len(GRADED_FOLDERS) + len(GRADED_ZIPS)
    assert run.stdout.splitlines()[-1] == f"graded {graded} of {graded + len(run.refusals)} submissions into {run.out}"


def test_each_odd_submission_gets_one_line_in_the_output_and_in_the_summary(run):
    summary = {s["name"]: s for s in json.loads((run.out / "summary.json").read_text())["submissions"]}
    for name, problem in run.refusals.values():
        lines = [line for line in run.stdout.splitlines() if line.startswith(f"{name}: ")]
        assert lines == [f"{name}: not graded: {summary[name]['problem']}"]
        assert summary[name]["problem"].startswith(problem) and "\n" not in summary[name]["problem"]


def test_every_other_submission_gets_its_full_results_in_a_folder_of_its_own(run):
    out, names = run.out, dict([*GRADED_FOLDERS.values(), *GRADED_ZIPS.values()])
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(names.values())
    for name, folder in names.items():
        results = json.loads((out / folder / "results.json").read_text())
        max_score = sum(t["max_score"] for t in results["tests"])
        assert results["score"] == max_score > 0, name
        assert [t["number"] for t in results["tests"]] == list(QUESTIONS)
        assert all({"name", "score", "max_score", "status", "output", "visibility"} <= set(t) for t in results["tests"])
        assert ElementTree.parse(out / folder / "junit.xml").getroot().get("name") == name
        shown = f"{name}: {results['score']}/{max_score}"
        assert [line for line in run.stdout.splitlines() if line.startswith(f"{name}: ")] == \
            [shown if folder == name else f"{shown} (in {folder})"]


def test_the_class_files_parse_with_a_row_for_every_submission(run):
    out = run.out
    names = [name for name, _ in [*GRADED_FOLDERS.values(), *GRADED_ZIPS.values(), *run.refusals.values()]]
    rows = list(csv.DictReader((out / "gradebook.csv").open(newline="", encoding="utf-8")))
    assert len(rows) == len(names) and all(row["submission"].endswith(name) for row, name in zip(rows, names))
    assert [s["name"] for s in json.loads((out / "summary.json").read_text())["submissions"]] == names
    assert "Not graded" in (out / "class.html").read_text()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_nothing_is_written_outside_the_out_folder_and_the_scratch_folder(run):
    assert run.after == run.before


def test_the_grader_writes_no_cache_into_the_current_folder(run):
    assert not (run.cwd / HYPOTHESIS_CACHE).exists()


def test_the_graders_memory_stays_bounded_whatever_the_class_hands_in(run):
    print(f"peak RSS of the run's largest process: {run.peak_kib / 1024:.0f} MiB")
    assert run.peak_kib < MAX_PEAK_MIB * 1024
