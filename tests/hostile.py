"""Hostile and careless submissions for the tests: zips and folders built byte by byte."""
from __future__ import annotations

import json
import os
import random
import stat
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

from workspaces import ROOT

Q04 = "q04_list_comprehension.py"


def model_answer(name: str = Q04) -> bytes:
    return (ROOT / "solutions" / name).read_bytes()


def zip_of(path: Path, entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A zip at `path` with these entries (name: content), written as a zip tool would."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def zip_with_entry(path: Path, info: zipfile.ZipInfo, data: bytes = b"", answers: bool = True) -> Path:
    """A zip of the model answer to q04 (unless `answers` is False) and one entry as `info` describes it."""
    with zipfile.ZipFile(path, "w") as archive:
        if answers:
            archive.writestr(Q04, model_answer())
        archive.writestr(info, data)
    return path


def entry(name: str, mode: int = 0) -> zipfile.ZipInfo:
    """A zip entry's header: its name and Unix mode (file type and permissions)."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode is in the high bits of external_attr
    info.external_attr = mode << 16
    return info


ENCRYPTED, UTF8 = 0x1, 0x800  # flag bits


def set_flags(path: Path, flags: int) -> Path:
    """Set these flag bits on every entry of the zip at `path`, in its local headers and its
    central directory (zipfile writes its own flags, so they are set afterwards)."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            struct.pack_into("<H", data, at + offset, struct.unpack_from("<H", data, at + offset)[0] | flags)
            at = data.find(signature, at + 1)
    path.write_bytes(bytes(data))
    return path


SYMLINK = stat.S_IFLNK | 0o777
CHAR_DEVICE = stat.S_IFCHR | 0o666
FIFO = stat.S_IFIFO | 0o644


def zip_bomb(path: Path, mb: int = 10) -> Path:
    """An entry of `mb` MB of zeros, about a thousand times smaller packed."""
    return zip_of(path, {Q04: model_answer(), "bomb.bin": bytes(mb << 20)})


def zip_lying_about_sizes(path: Path, mb: int = 50) -> Path:
    """An entry of `mb` MB of zeros whose headers claim 1,000 bytes: a bomb that no size check sees."""
    zip_of(path, {"bomb.bin": bytes(mb << 20)})
    data = bytearray(path.read_bytes())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<L", data, local + 22, 1000)    # uncompressed size in the local header
    struct.pack_into("<L", data, central + 24, 1000)  # ... and in the central directory
    path.write_bytes(bytes(data))
    return path


def zip_of_many(path: Path, count: int) -> Path:
    """`count` stored entries, the model answer to q04 and empty files, in the ZIP64 format (which
    allows more than 65,535), written directly: zipfile takes seconds for 100,000."""
    local, central = bytearray(), bytearray()
    for n in range(count):
        name, data = (Q04.encode(), model_answer()) if n == 0 else (f"f{n}".encode(), b"")
        crc, offset = zlib.crc32(data), len(local)
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data), len(name), 0)
        local += name + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(data), len(data),
                               len(name), 0, 0, 0, 0, 0, offset) + name
    end64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(central), len(local))
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(local) + len(central), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path.write_bytes(bytes(local + central + end64 + locator + end))
    return path


def zip_too_large_in_total(path: Path, mb: int) -> Path:
    """`mb` entries of 1 MB each, none of them suspicious on its own."""
    return zip_of(path, {Q04: model_answer(), **{f"data/{n}.bin": bytes(1 << 20) for n in range(mb)}})


def zip_with_large_file(path: Path, mb: int) -> Path:
    """One entry of `mb` MB that packs only some 40 times smaller, as real data might."""
    rng = random.Random(0)
    data = b"".join(rng.randbytes(16) + bytes(1008) for _ in range(mb << 10))
    return zip_of(path, {Q04: model_answer(), "data.bin": data})


def zip_with_raw_name(path: Path, raw_folder: bytes, entries: dict[str, bytes], flags: int = 0) -> Path:
    """The entries in a folder whose name is these bytes; unless flagged UTF8, zipfile reads it as cp437."""
    placeholder = "\x01" * len(raw_folder)  # in no answer file
    zip_of(path, {f"{placeholder}/{name}": data for name, data in entries.items()}, zipfile.ZIP_STORED)
    path.write_bytes(path.read_bytes().replace(placeholder.encode(), raw_folder))
    return set_flags(path, flags)


def folder_with_sparse_file(folder: Path, name: str, size: int) -> Path:
    """A workspace holding the model answer to q04 and a file of `size` bytes that takes no disk."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / Q04).write_bytes(model_answer())
    with open(folder / name, "wb") as f:
        f.truncate(size)
    return folder


def folder_of_many(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / Q04).write_bytes(model_answer())
    for n in range(count - 1):
        (folder / f"f{n}").touch()
    return folder


def folder_with_fifo(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / Q04).write_bytes(model_answer())
    os.mkfifo(folder / "notes")  # no process writes to it: reading would block, not fail
    return folder


# Measured from a small process of its own: on Linux a process's peak memory starts from that of
# the process it was forked from (pytest's, with torch loaded), even after exec.
_MEASURE = """
import json, resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
open(sys.argv[1], "w").write(json.dumps([code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))
"""


def run_measured(command: list, **kwargs) -> tuple[subprocess.CompletedProcess, int, int]:
    """Run `command` (output captured); return what it printed, its exit code, and the peak
    resident memory in KiB of the largest process it started, itself included."""
    with tempfile.TemporaryDirectory() as folder:
        measured = Path(folder) / "measured.json"
        done = subprocess.run([sys.executable, "-c", _MEASURE, str(measured), *command], capture_output=True, **kwargs)
        code, peak_kib = json.loads(measured.read_text())
    return done, code, peak_kib
