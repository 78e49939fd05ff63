"""A submission's name, any bytes, shows as printable text that tells names apart, and becomes a
folder name that is safe and distinct on Linux, macOS and Windows."""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from hypothesis import given, strategies as st

from fastquiz.names import MAX_FOLDER_BYTES, display_name, output_folders
from fastquiz.submissions import submission_name

# what a file name can be: any bytes but '/' and NUL, as Python reads them from the disk
raw_names = st.binary(min_size=1, max_size=255).filter(lambda b: b"/" not in b and b"\0" not in b).map(os.fsdecode)


@given(raw_names)
def test_a_name_shows_as_printable_text(raw):
    assert display_name(raw).isprintable()
    display_name(raw).encode("utf-8")  # no lone surrogates left to break a writer


@given(raw_names, raw_names)
def test_two_names_show_alike_only_when_they_are_alike(a, b):
    assert (display_name(a) == display_name(b)) == (a == b)


def test_what_is_not_printable_shows_as_its_bytes_and_the_rest_as_it_is():
    assert display_name(os.fsdecode(b"caf\xe9")) == "caf\\xe9"      # Latin-1 from an old zip tool
    assert display_name("café 名前") == "café 名前"
    assert display_name("a\nb\x1b[31m") == "a\\x0ab\\x1b[31m"
    assert display_name("\u202eevil") == "\\xe2\\x80\\xaeevil"       # right-to-left override
    assert display_name("\\xe9") == "\\\\xe9"                        # a backslash is doubled


def test_a_submission_goes_by_its_folders_or_zips_name_whatever_path_names_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert submission_name(Path("alice.zip")) == submission_name(Path("alice.ZIP")) == "alice"
    assert submission_name(Path("...zip")) == ".."
    assert submission_name(Path(".zip")) == ".zip"
    assert submission_name(Path(".")) == submission_name(Path("x/..")) == tmp_path.name


SAFE = re.compile(r"[\w.-]+")


@given(st.lists(raw_names.map(display_name), max_size=8))
def test_output_folders_are_safe_short_and_distinct_everywhere(names):
    folders = output_folders(names, taken=("gradebook.csv",))
    for folder in folders:
        assert SAFE.fullmatch(folder) and len(folder.encode()) <= MAX_FOLDER_BYTES
        assert not folder.startswith((".", "-")) and not folder.endswith(".")
    compared = [unicodedata.normalize("NFKC", f).casefold() for f in [*folders, "gradebook.csv"]]
    assert len(set(compared)) == len(compared)


def test_names_that_one_file_system_or_another_confuses_get_folders_of_their_own():
    assert output_folders(["alice", "Alice", "ALICE"]) == ["alice", "Alice-2", "ALICE-3"]
    assert output_folders(["caf\u00e9", "cafe\u0301"]) == ["caf\u00e9", "caf\u00e9-2"]  # macOS normalises
    assert output_folders(["gradebook.csv"], taken=("gradebook.csv",)) == ["gradebook.csv-2"]
    assert output_folders(["CON", "lpt1.txt", "..", "", "-rf", "=1+2", "@SUM(1+1)"]) == \
        ["_CON", "_lpt1.txt", "submission", "submission-2", "rf", "_1_2", "_SUM_1_1_"]


def test_a_long_name_is_cut_and_its_twin_still_gets_a_folder_of_its_own():
    long = "x" * 250
    first, second = output_folders([long, long.upper()])
    assert first == "x" * MAX_FOLDER_BYTES and second == "X" * (MAX_FOLDER_BYTES - 2) + "-2"
