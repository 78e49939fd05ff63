"""Writing files so that nothing is ever left half-written."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import FastquizError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place; whatever happens,
    no temporary file is left behind."""
    path = Path(path)
    data = data.encode() if isinstance(data, str) else data  # before any file exists: text may not encode
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:32]}.", suffix=".tmp")
    except OSError as error:
        raise FastquizError(f"can't write {path} ({error.strerror}): choose a writable path") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; give it the mode of any new file
        os.replace(tmp, path)
    except OSError as error:
        raise FastquizError(f"can't write {path} ({error.strerror}): choose a writable path") from None
    finally:
        Path(tmp).unlink(missing_ok=True)  # already gone once renamed into place


def unwritable(path: Path, folder: bool = False) -> str | None:
    """Why `path` can't be written, in words that say what to do; None when it can. `path` is a file
    that `write_atomic` would write (its folder must exist), or with `folder`, a folder to make
    (parents too) and write files in. Found by making a scratch file (or folder) where the real one
    would go, then removing it: nothing is left behind."""
    path = Path(path)
    if folder:
        if path.exists() and not path.is_dir():
            return "it is a file, not a folder: choose another path"
        where = path if path.exists() else next(p for p in path.absolute().parents if p.exists())
        if not where.is_dir():
            return f"{where} is a file, not a folder: choose another path"
    else:
        if path.is_dir():
            return "it is a folder: give a file's path"
        where = path.absolute().parent
        if not where.is_dir():
            return f"its folder {where} does not exist: make it first, or choose another path"
    try:
        if where == path or not folder:
            fd, probe = tempfile.mkstemp(dir=where, prefix=".fastquiz-probe-")
            os.close(fd)
            os.unlink(probe)
        else:
            os.rmdir(tempfile.mkdtemp(dir=where, prefix=".fastquiz-probe-"))
    except OSError as error:
        return f"{(error.strerror or str(error)).lower()} in {where}: choose a writable path"
    return None
