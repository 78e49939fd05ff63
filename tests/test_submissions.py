"""Copying and unpacking submissions: only inside their own scratch folder, within the caps,
and a hostile or careless one refused with one line, before anything large is written."""
from __future__ import annotations

import json
import os
import random
import sys
import zipfile
from pathlib import Path

import pytest

from fastquiz import unpack
from fastquiz.gradescope_autograder import find_submission, write_results
from fastquiz.submissions import Submission, prepare
from hostile import (CHAR_DEVICE, ENCRYPTED, FIFO, Q04, SYMLINK, UTF8, entry, folder_of_many,
                     folder_with_fifo, folder_with_sparse_file, model_answer, run_measured, set_flags, zip_bomb,
                     zip_lying_about_sizes, zip_of, zip_of_many, zip_too_large_in_total, zip_with_entry,
                     zip_with_large_file, zip_with_raw_name)


def prepared(source: Path, scratch: Path) -> Submission:
    (submission,) = prepare([source], scratch)
    return submission


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def scratch(tmp_path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


# --- zips -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["...zip", ".zip", "..zip", "a b\n.zip"])
def test_a_zip_unpacks_inside_its_own_scratch_folder_whatever_its_name(tmp_path, scratch, name):
    source = zip_of(tmp_path / name, {Q04: model_answer()})
    submission = prepared(source, scratch)
    assert submission.problem == "" and submission.workspace == scratch / "0"
    assert files_under(scratch) == ["0", f"0/{Q04}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "scratch"])


@pytest.mark.parametrize("path", ["../escaped.py", "a/../../escaped.py", "..\\escaped.py", "/tmp/escaped.py",
                                  "C:/escaped.py"])
def test_a_zip_entry_whose_path_leaves_its_folder_is_refused_before_unpacking_anything(tmp_path, scratch, path):
    submission = prepared(zip_with_entry(tmp_path / "mallory.zip", entry(path), b"print('out')\n"), scratch)
    shown = path.replace("\\", "\\\\")
    assert submission.problem == \
        f"the zip holds an unsafe entry '{shown}' (a path out of its folder): it was not unpacked"
    assert files_under(scratch) == [] and not (tmp_path / "escaped.py").exists()


@pytest.mark.parametrize("mode", [SYMLINK, CHAR_DEVICE, FIFO], ids=["a link", "a device", "a pipe"])
def test_a_zip_entry_that_is_a_link_or_a_special_file_is_refused(tmp_path, scratch, mode):
    submission = prepared(zip_with_entry(tmp_path / "mallory.zip", entry("notes", mode), b"/etc/shadow"), scratch)
    assert submission.problem == "the zip holds a link or a special file 'notes': it was not unpacked"
    assert files_under(scratch) == []


def test_an_encrypted_zip_is_refused_with_what_to_do(tmp_path, scratch):
    submission = prepared(set_flags(zip_of(tmp_path / "locked.zip", {Q04: model_answer()}), ENCRYPTED), scratch)
    assert submission.problem == f"the zip's entry '{Q04}' is encrypted: zip it again without a password"


def test_a_zip_compressed_other_than_the_usual_way_is_refused(tmp_path, scratch):
    submission = prepared(zip_of(tmp_path / "odd.zip", {Q04: model_answer()}, zipfile.ZIP_BZIP2), scratch)
    assert submission.problem.startswith(
        f"the zip's entry '{Q04}' is compressed in a way fastquiz does not unpack (method 12)")


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("twin", [Q04, f"./{Q04}", f".\\{Q04}"])
def test_two_entries_with_one_path_are_refused_rather_than_one_overwriting_the_other(tmp_path, scratch, twin):
    submission = prepared(zip_with_entry(tmp_path / "twice.zip", entry(twin), b"x = 1\n"), scratch)
    assert submission.problem == f"the zip holds two entries named '{twin.replace(chr(92), chr(92) * 2)}': zip it again"
    assert files_under(scratch) == []


def test_a_zip_bomb_is_refused_from_its_headers_without_unpacking_it(tmp_path, scratch, monkeypatch):
    source, opened = zip_bomb(tmp_path / "bomb.zip"), []
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, member, *a, **k: opened.append(member))
    submission = prepared(source, scratch)
    assert submission.problem == (f"the zip's entry 'bomb.bin' unpacks more than {unpack.MAX_RATIO} times larger "
                                  "than it is packed (a zip bomb): it was not unpacked")
    assert opened == [] and files_under(scratch) == []


def test_a_zip_that_lies_about_its_sizes_unpacks_no_more_than_it_claims_and_is_refused_as_damaged(tmp_path, scratch):
    submission = prepared(zip_lying_about_sizes(tmp_path / "liar.zip"), scratch)
    assert submission.problem == "is a damaged zip file: zip it again"
    assert files_under(scratch) == []


def test_a_zip_with_too_many_entries_is_refused_before_zipfile_reads_their_list(tmp_path, scratch, monkeypatch):
    source = zip_of_many(tmp_path / "many.zip", 100_000)
    monkeypatch.setattr(unpack.zipfile, "ZipFile", None)  # reading its list would fail the test
    assert prepared(source, scratch).problem == ("holds more than 2,000 files and folders: "
                                                 "hand in only the workspace (no data, no virtual environment)")


def test_a_zip_with_one_entry_too_many_is_refused(tmp_path, scratch):
    source = zip_of_many(tmp_path / "many.zip", unpack.MAX_FILES + 1)
    assert prepared(source, scratch).problem.startswith("holds more than 2,000 files and folders")
    assert prepared(zip_of_many(tmp_path / "enough.zip", unpack.MAX_FILES), scratch).problem == ""


def test_a_zip_that_unpacks_to_too_many_bytes_is_refused_before_unpacking(tmp_path, scratch):
    submission = prepared(zip_too_large_in_total(tmp_path / "large.zip", (unpack.MAX_BYTES >> 20) + 1), scratch)
    assert submission.problem == ("holds more than 100 MB of files: "
                                  "hand in only the workspace (no data, no virtual environment)")
    assert files_under(scratch) == []


def test_a_zip_entry_too_large_is_refused_with_its_size(tmp_path, scratch):
    submission = prepared(zip_with_large_file(tmp_path / "large.zip", (unpack.MAX_FILE_BYTES >> 20) + 1), scratch)
    assert submission.problem == "data.bin in it is 21 MB; a file may be at most 20 MB: remove it or make it smaller"


def test_a_zip_inside_a_zip_is_kept_as_a_file(tmp_path, scratch):
    inner = zip_bomb(tmp_path / "inner.zip").read_bytes()
    submission = prepared(zip_of(tmp_path / "nested.zip", {Q04: model_answer(), "inner.zip": inner}), scratch)
    assert submission.problem == "" and files_under(scratch) == ["0", "0/inner.zip", f"0/{Q04}"]
    assert (scratch / "0" / "inner.zip").read_bytes() == inner


def test_entry_names_from_an_old_zip_tool_are_unpacked_as_zipfile_reads_them(tmp_path, scratch):
    source = zip_with_raw_name(tmp_path / "old.zip", "caf\xe9".encode("latin-1"), {Q04: model_answer()})
    submission = prepared(source, scratch)
    assert submission.problem == "" and submission.workspace == scratch / "0" / "caf\u0398"  # 0xe9 in cp437


def test_entry_names_flagged_utf8_that_are_not_make_a_damaged_zip(tmp_path, scratch):
    source = zip_with_raw_name(tmp_path / "odd.zip", "caf\xe9".encode("latin-1"), {Q04: model_answer()}, UTF8)
    assert prepared(source, scratch).problem == "is a damaged zip file: zip it again"


def test_a_file_named_zip_that_is_not_one_is_damaged(tmp_path, scratch):
    (tmp_path / "alice.zip").write_text("not a zip")
    assert prepared(tmp_path / "alice.zip", scratch).problem == "is a damaged zip file: zip it again"


def test_zips_damaged_in_their_headers_are_one_line_each_never_a_traceback(tmp_path, scratch):
    good = zip_of(tmp_path / "good.zip", {Q04: model_answer(), "notes/": b"", "notes/a.txt": b"a" * 500})
    with zipfile.ZipFile(good) as zf:
        headers = [at for info in zf.infolist() for at in range(info.header_offset, info.header_offset + 30)]
        headers += range(zf.start_dir, good.stat().st_size)
    rng, sources = random.Random(0), []
    for n in range(500):
        damaged = bytearray(good.read_bytes())
        for _ in range(rng.randint(1, 4)):
            damaged[rng.choice(headers)] = rng.randrange(256)
        sources.append(tmp_path / f"{n}.zip")
        sources[-1].write_bytes(damaged[:rng.choice([len(damaged), rng.randrange(1, len(damaged))])])
    submissions = prepare(sources, scratch)
    assert all(s.problem.isprintable() and (s.problem == "") == (s.workspace is not None) for s in submissions)
    assert sum(s.problem == "is a damaged zip file: zip it again" for s in submissions) > 250


# --- folders ----------------------------------------------------------------------------------

def test_a_file_too_large_is_refused_without_being_read(tmp_path, scratch):
    source = folder_with_sparse_file(tmp_path / "alice", "weights.bin", 10 << 30)  # 10 GB that take no disk
    submission = prepared(source, scratch)
    assert submission.problem == \
        "weights.bin in it is 10240 MB; a file may be at most 20 MB: remove it or make it smaller"
    assert files_under(scratch) == []


def test_a_folder_too_large_in_total_is_refused_before_anything_is_copied(tmp_path, scratch):
    source = folder_with_sparse_file(tmp_path / "alice", "a.bin", unpack.MAX_FILE_BYTES)
    for name in "bcdef":
        os.truncate(source / "a.bin", unpack.MAX_FILE_BYTES)
        (source / f"{name}.bin").hardlink_to(source / "a.bin")
    assert prepared(source, scratch).problem.startswith("holds more than 100 MB of files")
    assert files_under(scratch) == []


def test_a_folder_with_too_many_files_is_refused(tmp_path, scratch):
    source = folder_of_many(tmp_path / "alice", unpack.MAX_FILES + 1)
    assert prepared(source, scratch).problem.startswith("holds more than 2,000 files and folders")


def test_tools_folders_are_neither_counted_nor_copied(tmp_path, scratch):
    source = folder_of_many(tmp_path / "alice", 1)
    folder_of_many(source / ".git" / "objects", unpack.MAX_FILES + 1)
    (source / "__pycache__").mkdir()
    assert prepared(source, scratch).problem == "" and files_under(scratch) == ["0", f"0/{Q04}"]


def test_a_link_in_a_folder_is_refused_not_followed(tmp_path, scratch):
    (tmp_path / "secret.txt").write_text("the answer key")
    source = folder_of_many(tmp_path / "alice", 1)
    (source / "notes.txt").symlink_to(tmp_path / "secret.txt")
    submission = prepared(source, scratch)
    assert submission.problem == ("can't read notes.txt in it (a link, a pipe or a device, not a regular file): "
                                  "replace it with the file itself")
    assert files_under(scratch) == []


def test_a_pipe_in_a_folder_is_refused_without_blocking_on_it(tmp_path, scratch):
    assert prepared(folder_with_fifo(tmp_path / "alice"), scratch).problem.startswith("can't read notes in it")


def test_an_odd_file_name_inside_a_folder_shows_escaped_in_its_line(tmp_path, scratch):
    source = folder_with_sparse_file(tmp_path / "alice", os.fsdecode(b"big\n\xff.bin"), 10 << 30)
    assert prepared(source, scratch).problem.startswith("big\\x0a\\xff.bin in it is 10240 MB")


# --- Gradescope ------------------------------------------------------------------------------

def test_gradescope_takes_the_one_zip_handed_in_whatever_its_name_or_case(tmp_path):
    zip_of(tmp_path / "...ZIP", {Q04: model_answer()})
    assert find_submission(tmp_path) == tmp_path / "...ZIP"


def test_gradescope_takes_no_link_for_a_zip(tmp_path):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "answers.zip").symlink_to(zip_of(tmp_path / "elsewhere.zip", {Q04: model_answer()}))
    assert find_submission(tmp_path / "submission") == tmp_path / "submission"


def test_gradescope_writes_one_line_for_a_zip_it_refuses_whatever_its_name(tmp_path):
    (tmp_path / "submission").mkdir()
    zip_bomb(tmp_path / "submission" / os.fsdecode(b"caf\xe9.zip"))
    results = write_results(tmp_path)
    assert (results["score"], results["tests"]) == (0, [])
    assert results["output"] == ("caf\\xe9: not graded: the zip's entry 'bomb.bin' unpacks more than 200 times larger "
                                 "than it is packed (a zip bomb): it was not unpacked")
    assert json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8")) == results


# --- memory -----------------------------------------------------------------------------------

MAX_INGEST_MIB = 128  # Python with fastquiz.submissions takes some 30 MiB; zipfile's list of 500,000 entries 250

INGEST = """
import sys
from pathlib import Path
from fastquiz.submissions import prepare
for submission in prepare([Path(p) for p in sys.argv[2:]], Path(sys.argv[1])):
    print(submission.problem)
"""


def test_ingesting_hostile_zips_takes_little_memory(tmp_path, scratch):
    sources = [zip_of_many(tmp_path / "vast.zip", 500_000),
               zip_of_many(tmp_path / "dense.zip", 39_000),  # as many as pass the check of the list's size
               zip_bomb(tmp_path / "bomb.zip", 19), zip_lying_about_sizes(tmp_path / "liar.zip"),
               zip_too_large_in_total(tmp_path / "huge.zip", 101)]
    done, code, peak_kib = run_measured([sys.executable, "-c", INGEST, str(scratch), *map(str, sources)], text=True)
    assert code == 0 and all(done.stdout.splitlines()) and len(done.stdout.splitlines()) == len(sources)
    assert files_under(scratch) == []
    print(f"peak RSS while ingesting hostile zips: {peak_kib / 1024:.0f} MiB")
    assert peak_kib < MAX_INGEST_MIB * 1024


def test_the_instructors_guide_gives_the_caps_in_force():
    readme = (Path(__file__).resolve().parents[1] / "docs" / "instructors.md").read_text()
    assert f"| files and folders (zip entries) | {unpack.MAX_FILES:,} |" in readme
    assert f"| all its files, unpacked | {unpack.MAX_BYTES >> 20} MB |" in readme
    assert f"| any one file, an answer file included | {unpack.MAX_FILE_BYTES >> 20} MB |" in readme
    assert f"| a zip entry over {unpack.RATIO_FROM_BYTES >> 20} MB unpacked | {unpack.MAX_RATIO} times" in readme
