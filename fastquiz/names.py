"""Names of submissions, which are file names of any bytes: shown as printable text, and turned
into folder names that are safe and distinct on every common file system."""
from __future__ import annotations

import os
import unicodedata
from typing import Iterable

MAX_FOLDER_BYTES = 64  # far below any file system's limit on a name, with room for --out's path
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in "0123456789¹²³")}


def display_name(raw: str) -> str:
    """`raw`, a file name, as printable text: a backslash doubled, and every byte of what is not
    printable (bytes that are not UTF-8, control and format characters, line breaks) shown as
    \\xNN, so that two names look different exactly when they are."""
    return "".join(
        "\\\\" if char == "\\" else char if char.isprintable() else
        "".join(f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogateescape"))
        for char in os.fsencode(raw).decode("utf-8", "surrogateescape")
    )


def output_folders(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """A folder name for each of `names`: letters, digits, '-', '_' and '.' only, short, not a
    Windows device, and distinct from the others and from `taken` even where case or Unicode
    normalisation is not told apart (macOS, Windows); a clash gets -2, -3, ..."""
    seen = {_key(name) for name in taken}
    folders = []
    for name in names:
        base = _safe(name)
        folder, n = base, 1
        while _key(folder) in seen:
            n += 1
            folder = f"{_truncate(base, MAX_FOLDER_BYTES - len(f'-{n}'))}-{n}"
        seen.add(_key(folder))
        folders.append(folder)
    return folders


def _safe(name: str) -> str:
    text = "".join(char if char.isalnum() or char in "-_." else "_" for char in unicodedata.normalize("NFC", name))
    text = text.lstrip(".-")  # not hidden, not read as an option
    if text.split(".")[0].casefold() in _WINDOWS_DEVICES:
        text = f"_{text}"
    return _truncate(text, MAX_FOLDER_BYTES).rstrip(".") or "submission"


def _key(folder: str) -> str:
    """What a file system that ignores case and normalisation compares."""
    return unicodedata.normalize("NFKC", folder).casefold()


def _truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, on a character's boundary."""
    return text.encode()[:limit].decode("utf-8", "ignore")
