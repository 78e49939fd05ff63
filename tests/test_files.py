"""`write_atomic`: a file is written whole or not at all, and no temporary file is ever left."""
from __future__ import annotations

import os

import pytest

from fastquiz import files
from fastquiz.errors import FastquizError
from fastquiz.files import write_atomic


def test_a_file_is_written_whole_with_the_mode_of_any_new_file(tmp_path):
    write_atomic(tmp_path / "a.txt", "caf\u00e9")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "caf\u00e9"
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~files._umask()
    assert os.listdir(tmp_path) == ["a.txt"]


def test_text_that_does_not_encode_leaves_no_file_behind(tmp_path):
    with pytest.raises(UnicodeEncodeError):
        write_atomic(tmp_path / "a.txt", os.fsdecode(b"caf\xe9"))  # a lone surrogate, as from a file name
    assert os.listdir(tmp_path) == []


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    write_atomic(tmp_path / "a.txt", "old")
    monkeypatch.setattr(files.os, "replace", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "a.txt", "new")
    assert os.listdir(tmp_path) == ["a.txt"] and (tmp_path / "a.txt").read_text() == "old"


def test_an_unwritable_place_is_one_line_that_says_what_to_do(tmp_path):
    (tmp_path / "a.txt").mkdir()  # a folder where the file should go
    with pytest.raises(FastquizError, match="can't write .*a.txt .*: choose a writable path"):
        write_atomic(tmp_path / "a.txt", "text")
    assert os.listdir(tmp_path) == ["a.txt"]


def test_a_long_file_name_still_gets_its_temporary_file(tmp_path):
    name = "x" * 250 + ".csv"
    write_atomic(tmp_path / name, "text")
    assert os.listdir(tmp_path) == [name]
