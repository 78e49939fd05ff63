"""Finding, downloading and caching fastai's MNIST_SAMPLE.

The archive is downloaded next to its destination under a temporary name, verified,
and unpacked into a temporary folder; only a folder that holds every expected PNG is
renamed into place. A crash or a bad archive at any step leaves the cache as it was.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import queue
import shutil
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .reference.data import DataError, check_sample_folder, sample_folder_problem

FASTAI_URL = "https://s3.amazonaws.com/fast-ai-sample/mnist_sample.tgz"
FASTAI_SIZE = 3214948  # size and MD5 as fastai publishes them in fastai/data/checks.txt
FASTAI_MD5 = "2dbc7ec6f9259b583af0072c55816a88"
FOLDER_NAME = "mnist_sample"
CHUNK = 1 << 16
STALL_SECONDS = 5  # without data from the server, say that the download is waiting
GIVE_UP_SECONDS = 30  # ... and give up after this long

Progress = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)
Waiting = Callable[[str, float], None]  # (url, seconds without data so far)


@dataclass(frozen=True)
class Checksum:
    """What a downloaded archive must match: a hash and, when known, a size."""

    algorithm: str
    hexdigest: str
    size: int | None = None


def cache_dir() -> Path:
    """$FASTQUIZ_DATA, else $XDG_CACHE_HOME/fastquiz, else ~/.cache/fastquiz."""
    if "FASTQUIZ_DATA" in os.environ:
        return Path(os.environ["FASTQUIZ_DATA"]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")).expanduser() / "fastquiz"


def fastai_folder() -> Path:
    """Where fastai's `untar_data(URLs.MNIST_SAMPLE)` puts the data."""
    return Path(os.environ.get("FASTAI_HOME", Path.home() / ".fastai")).expanduser() / "data" / FOLDER_NAME


def find_sample(directory: Path | None = None) -> Path | None:
    """A complete MNIST_SAMPLE folder already on disk: ours first, then fastai's."""
    for candidate in (Path(directory or cache_dir()) / FOLDER_NAME, fastai_folder()):
        if candidate.is_dir():
            try:
                check_sample_folder(candidate)
            except DataError:
                continue
            return candidate
    return None


def download_sample(
    url: str | None = None,
    directory: Path | None = None,
    sha256: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """The path of a verified MNIST_SAMPLE folder, downloading it only when none is cached.

    With no `url`, fastai's archive is fetched and checked against fastai's published size
    and MD5; a mirror given by `url` is checked against `sha256` when given.
    """
    directory = Path(directory or cache_dir())
    target = directory / FOLDER_NAME
    if target.exists():
        check_sample_folder(target)  # an incomplete cache is reported, never silently replaced
        return target
    if url is None:
        existing = find_sample(directory)
        if existing is not None:
            return existing
    checksum = Checksum("md5", FASTAI_MD5, FASTAI_SIZE) if url is None else (
        Checksum("sha256", sha256.lower()) if sha256 else None
    )
    directory.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(directory)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".download-") as scratch:
        archive = Path(scratch) / "archive.tgz"
        _fetch(url or FASTAI_URL, archive, progress)
        if checksum is not None:
            _verify(archive, checksum)
        unpacked = Path(scratch) / "unpacked"
        _extract(archive, unpacked)
        folder = _sample_root(unpacked)
        problem = sample_folder_problem(folder)
        if problem:
            raise DataError(
                f"the archive is incomplete ({problem}): it is corrupt or not MNIST_SAMPLE; "
                "run the command again or pass another --url"
            )
        folder.rename(target)
    return target


def say_waiting(url: str, seconds: float) -> None:
    """Tell the user on stderr that the server has sent nothing for `seconds`."""
    print(f"\nno data from {url} for {seconds:.0f} s: still waiting (giving up after {GIVE_UP_SECONDS} s)",
          file=sys.stderr, flush=True)


def _fetch(url: str, dest: Path, progress: Progress | None, waiting: Waiting = say_waiting) -> None:
    try:
        with open(dest, "wb") as out:
            chunks = _chunks(url, waiting)
            total = next(chunks)
            done = 0
            for chunk in chunks:
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise DataError(
            f"could not download {url} ({reason}): check the network, or pass --data DIR with a copy you have"
        ) from None
    if total is not None and done != total:
        raise DataError(f"the download of {url} stopped after {done:,} of {total:,} bytes: run the command again")


def _chunks(url: str, waiting: Waiting) -> Iterator:
    """The size the server announces (or None), then the body in chunks. A thread reads, so that
    every STALL_SECONDS without data can be reported to `waiting`; the connection gives up after
    GIVE_UP_SECONDS without data, raising as urlopen does."""
    items: queue.Queue = queue.Queue(maxsize=16)

    def read() -> None:
        try:
            with urllib.request.urlopen(url, timeout=GIVE_UP_SECONDS) as response:
                total = response.headers.get("Content-Length")
                items.put(int(total) if total and total.isdigit() else None)
                while chunk := response.read(CHUNK):
                    items.put(chunk)
            items.put(b"")
        except BaseException as error:  # handed to the reading thread, which raises it
            items.put(error)

    threading.Thread(target=read, daemon=True, name="fastquiz-download").start()
    silent = 0.0
    while True:
        try:
            item = items.get(timeout=STALL_SECONDS)
        except queue.Empty:
            silent += STALL_SECONDS
            waiting(url, silent)
            continue
        silent = 0.0
        if isinstance(item, BaseException):
            raise item
        if item == b"":
            return
        yield item


def _verify(archive: Path, checksum: Checksum) -> None:
    size = archive.stat().st_size
    if checksum.size is not None and size != checksum.size:
        raise DataError(
            f"the archive is {size:,} bytes, expected {checksum.size:,}: it is truncated or not MNIST_SAMPLE; "
            "run the command again or pass another --url"
        )
    digest = hashlib.new(checksum.algorithm)
    with open(archive, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != checksum.hexdigest:
        raise DataError(
            f"the archive's {checksum.algorithm} is {digest.hexdigest()}, expected {checksum.hexdigest}: "
            "it is corrupt or not MNIST_SAMPLE; run the command again or pass another --url"
        )


def _extract(archive: Path, dest: Path) -> None:
    """Unpack regular files and folders only, refusing any path that leaves `dest`."""
    dest.mkdir()  # an archive with no entries unpacks to an empty folder, not to none
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                target = (dest / member.name).resolve()
                if not target.is_relative_to(dest.resolve()) or not (member.isfile() or member.isdir()):
                    raise DataError(f"the archive holds an unsafe entry {member.name!r}: it is not MNIST_SAMPLE")
            tar.extractall(dest, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        reason = " ".join(str(error).split())  # tarfile's "could not be opened" spans several lines
        raise DataError(f"the archive can't be unpacked ({reason}): it is corrupt; run the command again") from None


def _sample_root(unpacked: Path) -> Path:
    """The archive's top folder (fastai's holds one, `mnist_sample/`)."""
    entries = list(unpacked.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else unpacked


def _remove_leftovers(directory: Path, older_than: float = 3600) -> None:
    """Delete scratch folders that a killed download left behind (not a running one's)."""
    for leftover in directory.glob(".download-*"):
        if time.time() - leftover.stat().st_mtime > older_than:
            shutil.rmtree(leftover, ignore_errors=True)
