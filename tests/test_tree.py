"""Folders a student's code filled: counted and removed whatever their shape (grader/tree.py)."""
from __future__ import annotations

import os
from pathlib import Path

from fastquiz.grader import tree


def nest(top: Path, depth: int, name: str = "d") -> None:
    """A chain of `depth` folders below `top`, made by descriptor: deeper than any path can name."""
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir(name, dir_fd=fd)
        child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = child
    with open(os.open("leaf", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd), "w") as leaf:
        leaf.write("x")
    os.close(fd)


def test_a_tree_deeper_than_paths_and_recursion_is_removed(tmp_path):
    top = tmp_path / "work"
    top.mkdir()
    nest(top, 3000, "a" * 40)  # 123,000 characters of path, 3,000 levels
    assert tree.remove(str(top))
    assert not top.exists()


def test_locked_folders_and_files_are_removed(tmp_path):
    top = tmp_path / "work"
    (top / "a" / "b").mkdir(parents=True)
    (top / "a" / "b" / "f").write_text("x")
    (top / "a" / "b").chmod(0)
    (top / "a").chmod(0o500)
    top.chmod(0o500)
    assert tree.remove(str(top))
    assert not top.exists()


def test_links_out_of_the_tree_are_removed_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep").write_text("mine")
    top = tmp_path / "work"
    top.mkdir()
    (top / "to-folder").symlink_to(outside)
    (top / "to-file").symlink_to(outside / "keep")
    assert tree.remove(str(top))
    assert (outside / "keep").read_text() == "mine"
    assert tree.remove(str(tmp_path / "work"))  # gone already: fine


def test_many_entries_are_counted_with_their_blocks_and_the_count_stops_at_its_cap(tmp_path):
    top = tmp_path / "work"
    top.mkdir()
    for i in range(300):
        (top / f"folder{i}").mkdir()
    (top / "data").write_bytes(b"x" * 100_000)
    found = tree.usage(str(top), most_entries=10_000, most_depth=10)
    assert found.entries == 301 and found.depth == 1
    assert found.bytes >= 100_000 + 300 * 4096 * 0.9  # empty folders take disk space too
    capped = tree.usage(str(top), most_entries=50, most_depth=10)
    assert capped.entries == 51  # past the cap, then it stops


def test_depth_is_counted_up_to_its_cap(tmp_path):
    top = tmp_path / "work"
    top.mkdir()
    nest(top, 500)
    assert tree.usage(str(top), most_entries=10_000, most_depth=64).depth == 65
    assert tree.usage(str(top / "missing"), 10, 10) == tree.Usage(0, 0, 0)
