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
