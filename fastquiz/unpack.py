"""Copying a submission folder, or unpacking a submission zip, into a scratch folder of its own,
within caps that honest workspaces never come near.

Nothing is written outside the target folder, whatever the names or the content: links,
devices and pipes are refused, not followed; a zip's entry names are checked before anything
is unpacked, and its sizes are checked from its headers, so that a zip bomb is refused without
being decompressed. Each refusal is a `Refused` whose message is one line for the summary.
"""
from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO, Iterator, NamedTuple

from .names import display_name

MAX_FILES = 2_000                # files and folders in one submission
MAX_BYTES = 100 << 20            # all its files together, unpacked
MAX_FILE_BYTES = 20 << 20        # any one file in it, an answer file included
MAX_RATIO = 200                  # how much larger than packed a zip entry may unpack ...
RATIO_FROM_BYTES = 1 << 20       # ... once it unpacks to more than this
SKIPPED = frozenset({".fastquiz", "__pycache__", ".git", ".ipynb_checkpoints", "__MACOSX"})  # tools' folders

_CHUNK = 1 << 20
_DIRECTORY_ENTRY_BYTES = 1024    # an entry in a zip's list of entries, with room for long names
_HAND_IN_LESS = "hand in only the workspace (no data, no virtual environment)"
_TOO_MANY = f"holds more than {MAX_FILES:,} files and folders: {_HAND_IN_LESS}"


class Refused(Exception):
    """A submission that is not copied; the message says why in one line."""


class _File(NamedTuple):
    path: PurePosixPath          # relative to the submission's root
    size: int


def copy_folder(source: Path, target: Path) -> None:
    """Copy the regular files of `source` into `target`, leaving out tools' folders (SKIPPED)."""
    files = list(_walk(source))
    _check_sizes(files)
    for file in files:
        try:
            fd = os.open(source / file.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as error:
            raise Refused(f"can't read {_shown(file.path)} in it ({error.strerror}): make it readable") from None
        with open(fd, "rb") as read:
            _write(read, target / file.path, file.size)


def copy_file(source: Path, target: Path) -> None:
    """Copy the regular file `source` (a notebook) into the folder `target`, under its own name."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        raise Refused(f"can't read it ({error.strerror}): hand in the file itself, readable") from None
    with open(fd, "rb") as read:
        file = _File(PurePosixPath(source.name), os.fstat(fd).st_size)
        _check_sizes([file])
        _write(read, target / file.path, file.size)


def _walk(source: Path) -> Iterator[_File]:
    """The files under `source`, refusing links and special files; at most MAX_FILES + 1 files
    and folders are looked at."""
    folders, count = [PurePosixPath()], 0
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(source / folder) as scan:
                entries = list(scan)
        except OSError as error:
            raise Refused(f"can't read {_shown(folder)} in it ({error.strerror}): make it readable") from None
        if not entries and not folder.parts:
            raise Refused("is an empty folder")
        for entry in entries:
            path = folder / entry.name
            if entry.name in SKIPPED:
                continue
            count += 1
            if count > MAX_FILES:
                raise Refused(_TOO_MANY)
            if entry.is_dir(follow_symlinks=False):
                folders.append(path)
            elif entry.is_file(follow_symlinks=False):
                yield _File(path, entry.stat(follow_symlinks=False).st_size)
            else:
                raise Refused(f"can't read {_shown(path)} in it (a link, a pipe or a device, "
                              "not a regular file): replace it with the file itself")


def unzip(archive: Path, target: Path) -> None:
    """Unpack `archive` into `target`; a zip that is refused is refused before anything is written."""
    with open(archive, "rb") as raw:
        if _directory_bytes(raw) > MAX_FILES * _DIRECTORY_ENTRY_BYTES:
            raise Refused(_TOO_MANY)
        try:
            with zipfile.ZipFile(raw) as zf:
                for member, path in _plan(zf):
                    _unpack(zf, member, target / path)
        # ValueError: names flagged UTF-8 that aren't; NotImplementedError: zip features from beyond Python's
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
            raise Refused("is a damaged zip file: zip it again") from None


def _unpack(zf: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path) -> None:
    try:
        read = None if member.is_dir() else zf.open(member)
    except OSError:  # its header's offset points nowhere
        raise zipfile.BadZipFile(member.filename) from None
    try:
        if read is None:
            path.mkdir(parents=True, exist_ok=True)
        else:
            with read:
                _write(read, path, member.file_size)
    except OSError as error:  # a name too long for the disk, a file where a folder goes
        raise Refused(f"can't unpack '{display_name(member.filename)}' from it ({error.strerror}): "
                      "zip it again with shorter, distinct names") from None


def _plan(zf: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """Each entry to unpack and its path, once every entry is known to be safe to unpack."""
    members = zf.infolist()
    if not members:
        raise Refused("is an empty zip")
    if len(members) > MAX_FILES:
        raise Refused(_TOO_MANY)
    plan, seen = [], set()
    for member in members:
        shown = display_name(member.filename)
        path = _safe_path(member.filename)
        if path is None:
            raise Refused(f"the zip holds an unsafe entry '{shown}' (a path out of its folder): it was not unpacked")
        if SKIPPED.intersection(path.parts) or not path.parts:
            continue
        kind = stat.S_IFMT(member.external_attr >> 16)
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise Refused(f"the zip holds a link or a special file '{shown}': it was not unpacked")
        if member.flag_bits & 0x1:
            raise Refused(f"the zip's entry '{shown}' is encrypted: zip it again without a password")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refused(f"the zip's entry '{shown}' is compressed in a way fastquiz does not unpack "
                          f"(method {member.compress_type}): zip it again with the usual settings")
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise Refused(f"the zip's entry '{shown}' unpacks more than {MAX_RATIO} times larger than it is "
                          "packed (a zip bomb): it was not unpacked")
        if path in seen:
            raise Refused(f"the zip holds two entries named '{shown}': zip it again")
        seen.add(path)
        plan.append((member, path))
    _check_sizes([_File(path, member.file_size) for member, path in plan])
    return plan


def _safe_path(name: str) -> PurePosixPath | None:
    """A zip entry's path relative to where it is unpacked ('\\' read as '/'), or None if it
    would leave that folder."""
    name = name.replace("\\", "/")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if name.startswith("/") or ".." in parts or (parts and parts[0].endswith(":")):
        return None
    return PurePosixPath(*parts)


def _check_sizes(files: list[_File]) -> None:
    for file in files:
        if file.size > MAX_FILE_BYTES:
            raise Refused(f"{_shown(file.path)} in it is {file.size / 2**20:.0f} MB; a file may be "
                          f"at most {MAX_FILE_BYTES >> 20} MB: remove it or make it smaller")
    if sum(file.size for file in files) > MAX_BYTES:
        raise Refused(f"holds more than {MAX_BYTES >> 20} MB of files: {_HAND_IN_LESS}")


def _shown(path: PurePosixPath) -> str:
    return display_name(str(path))


def _write(read: IO[bytes], path: Path, size: int) -> None:
    """At most `size` bytes of `read` into a new file at `path` (never one that exists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as out:
        while size > 0 and (chunk := read.read(min(_CHUNK, size))):
            out.write(chunk)
            size -= len(chunk)


# A zip ends with a record that gives the size of its list of entries (the central directory);
# zipfile reads that whole list into memory before anything else, so it is checked first.
_END = struct.Struct("<4s4H2LH")             # signature, disks, entries, list size, list offset, comment size
_END64_LOCATOR = struct.Struct("<4sLQL")     # just before the end record
_END64 = struct.Struct("<4sQ2H2L4Q")         # ..., entries, list size, list offset


def _directory_bytes(raw: BinaryIO) -> int:
    """The most bytes zipfile may read as the zip's list of entries: the size that its end record,
    or the ZIP64 record before it, gives, wherever zipfile finds that record."""
    size = raw.seek(0, os.SEEK_END)
    start = max(0, size - _END.size - 0xFFFF)
    raw.seek(start)
    tail = raw.read()
    largest = 0
    for end in {tail.rfind(b"PK\x05\x06"), len(tail) - _END.size}:  # zipfile's two guesses
        if end < 0 or tail[end:end + 4] != b"PK\x05\x06" or end + _END.size > len(tail):
            continue
        listed = _END.unpack_from(tail, end)[5]
        record = start + end - _END64_LOCATOR.size - _END64.size
        if record >= 0:
            raw.seek(record)
            data = raw.read(_END64.size + 4)
            if data[:4] == b"PK\x06\x06" and data[-4:] == b"PK\x06\x07":
                listed = _END64.unpack_from(data)[8]  # the ZIP64 record, where there is one, is what counts
        largest = max(largest, listed)
    return largest
