"""Finding, downloading and caching fastai's MNIST_SAMPLE (3s and 7s) and MNIST (all ten digits).

The archive is downloaded next to its destination under a temporary name, verified,
and unpacked into a temporary folder; only a folder that holds every expected PNG is
renamed into place. A crash or a bad archive at any step leaves the cache as it was.

fastai publishes each archive's size and the MD5 of its first 2**20 bytes (fastai's
`checks.txt`, as fastdownload computes it), and that is what a default download is
checked against; a mirror given by URL is checked against the SHA-256 of the whole file.
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
from typing import Any, Callable, Iterator

from .grader.protocol import DATA_VARIABLE
from .grader.system import user_cache
from .reference.errors import DataError

CHUNK = 1 << 16
FASTAI_HASHED_BYTES = 2**20  # fastai's checks.txt hashes this much of the start of an archive
STALL_SECONDS = 5  # without data from the server, say that the download is waiting
GIVE_UP_SECONDS = 30  # ... and give up after this long
GRADING_DATA = DATA_VARIABLE  # the full MNIST folder research task 2 is graded on, in the grading processes

Progress = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)
Waiting = Callable[[str, float], None]  # (url, seconds without data so far)


@dataclass(frozen=True)
class Checksum:
    """What a downloaded archive must match: a hash of its first `hashed_bytes` (all of it when None)
    and, when known, its size."""

    algorithm: str
    hexdigest: str
    size: int | None = None
    hashed_bytes: int | None = None


@dataclass(frozen=True)
class Dataset:
    """An archive of fastai's: where it is, what it must match, and the folder it unpacks to."""

    name: str  # as typed after `fastquiz data download`
    label: str  # as fastai names it
    url: str
    checksum: Checksum
    folder: str  # the archive's top folder, and the cache's
    problem: Callable[[Path], str | None]  # why an unpacked folder is incomplete, or None
    prepare: Callable[[Path], None] | None = None  # what to make of a complete folder before it goes into place


def _reference(name: str) -> Callable:
    """A function of the chapter's data layer, imported when first called: it imports torch, which finding
    that no folder is there (what `fastquiz check` asks after grading) does not need."""

    def call(root: Path) -> Any:
        from .reference import data

        return getattr(data, name)(root)

    return call


sample_folder_problem, mnist_folder_problem, prepare_mnist = map(
    _reference, ("sample_folder_problem", "mnist_folder_problem", "prepare_mnist"))

MNIST_SAMPLE = Dataset("mnist_sample", "MNIST_SAMPLE", "https://s3.amazonaws.com/fast-ai-sample/mnist_sample.tgz",
                       Checksum("md5", "2dbc7ec6f9259b583af0072c55816a88", 3214948, FASTAI_HASHED_BYTES),
                       "mnist_sample", sample_folder_problem)
MNIST = Dataset("mnist", "MNIST", "https://s3.amazonaws.com/fast-ai-imageclas/mnist_png.tgz",
                Checksum("md5", "03639f83c4e3d19e0a3a53a8a997c487", 15683414, FASTAI_HASHED_BYTES),
                "mnist_png", mnist_folder_problem, prepare_mnist)
DATASETS = {dataset.name: dataset for dataset in (MNIST_SAMPLE, MNIST)}


def cache_dir() -> Path:
    """$FASTQUIZ_DATA, else $XDG_CACHE_HOME/fastquiz, else ~/.cache/fastquiz."""
    if "FASTQUIZ_DATA" in os.environ:
        return Path(os.environ["FASTQUIZ_DATA"]).expanduser()
    return user_cache()


def fastai_folder(dataset: Dataset) -> Path:
    """Where fastai's `untar_data(URLs.<label>)` puts the data."""
    return Path(os.environ.get("FASTAI_HOME", Path.home() / ".fastai")).expanduser() / "data" / dataset.folder


def find(dataset: Dataset, directory: Path | None = None) -> Path | None:
    """A complete folder of `dataset` already on disk: ours first, then fastai's."""
    for candidate in (Path(directory or cache_dir()) / dataset.folder, fastai_folder(dataset)):
        if candidate.is_dir() and dataset.problem(candidate) is None:
            return candidate
    return None


def mnist_for_grading() -> Path | None:
    """The full MNIST folder research task 2 is graded on: `$FASTQUIZ_MNIST` (which `fastquiz grade --data`
    sets), else a complete one in the cache or fastai's; None means the embedded digits."""
    chosen = os.environ.get(GRADING_DATA)
    if chosen:
        folder = Path(chosen).expanduser()
        _refuse_incomplete(MNIST, folder)
        return folder
    return find(MNIST)


def describe_mnist(folder: Path | None) -> str:
    """Which digits research task 2 is judged on, in words."""
    if folder is None:
        return "the embedded digits (trained on their training split, judged on digits held out from them)"
    return f"the full MNIST in {folder} (trained on its training folder, judged on its testing folder)"


def download(
    dataset: Dataset,
    url: str | None = None,
    directory: Path | None = None,
    sha256: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """The path of a verified folder of `dataset`, downloading it only when none is cached.

    With no `url`, fastai's archive is fetched and checked against fastai's published size
    and MD5; a mirror given by `url` is checked against `sha256` when given.
    """
    directory = Path(directory or cache_dir())
    target = directory / dataset.folder
    if target.exists():
        _refuse_incomplete(dataset, target)  # an incomplete cache is reported, never silently replaced
        return target
    if url is None:
        existing = find(dataset, directory)
        if existing is not None:
            return existing
    checksum = dataset.checksum if url is None else (Checksum("sha256", sha256.lower()) if sha256 else None)
    directory.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(directory)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".download-") as scratch:
        archive = Path(scratch) / "archive.tgz"
        _fetch(url or dataset.url, archive, progress, dataset=dataset)
        if checksum is not None:
            _verify(archive, checksum, dataset)
        unpacked = Path(scratch) / "unpacked"
        _extract(archive, unpacked, dataset)
        folder = _top_folder(unpacked)
        problem = dataset.problem(folder)
        if problem:
            raise DataError(
                f"the archive is incomplete ({problem}): it is corrupt or not {dataset.label}; "
                f"run the command again, or {_mirror(dataset)}"
            )
        if dataset.prepare is not None:
            dataset.prepare(folder)
        folder.rename(target)
    return target


def _refuse_incomplete(dataset: Dataset, folder: Path) -> None:
    problem = folder.is_dir() and dataset.problem(folder)
    if not folder.is_dir() or problem:
        what = problem or "not a folder"
        raise DataError(f"{folder}/{what}: the folder is incomplete; delete it and run "
                        f"`fastquiz data download {dataset.name}`")


def say_waiting(url: str, seconds: float) -> None:
    """Tell the user on stderr that the server has sent nothing for `seconds`."""
    print(f"\nno data from {url} for {seconds:.0f} s: still waiting (giving up after {GIVE_UP_SECONDS} s)",
          file=sys.stderr, flush=True)


def _mirror(dataset: Dataset) -> str:
    """What to run to fetch `dataset` from elsewhere, for the end of a message."""
    return f"fetch it from a mirror: `fastquiz data download {dataset.name} --url URL --sha256 HEX`"


def _fetch(url: str, dest: Path, progress: Progress | None, waiting: Waiting = say_waiting,
           dataset: Dataset = MNIST_SAMPLE) -> None:
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
            f"could not download {url} ({reason}): check the network, or give a copy of the archive you have: "
            f"`fastquiz data download {dataset.name} --url file:///PATH/TO/{url.rsplit('/', 1)[-1]}`"
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


def _verify(archive: Path, checksum: Checksum, dataset: Dataset) -> None:
    size = archive.stat().st_size
    if checksum.size is not None and size != checksum.size:
        raise DataError(
            f"the archive is {size:,} bytes, expected {checksum.size:,}: it is truncated or not {dataset.label}; "
            f"run the command again, or {_mirror(dataset)}"
        )
    digest = hashlib.new(checksum.algorithm)
    left = checksum.hashed_bytes if checksum.hashed_bytes is not None else size
    with open(archive, "rb") as f:
        while left > 0 and (chunk := f.read(min(CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    if digest.hexdigest() != checksum.hexdigest:
        raise DataError(
            f"the archive's {checksum.algorithm} is {digest.hexdigest()}, expected {checksum.hexdigest}: "
            f"it is corrupt or not {dataset.label}; run the command again, or {_mirror(dataset)}"
        )


def _extract(archive: Path, dest: Path, dataset: Dataset) -> None:
    """Unpack regular files and folders only, refusing any path that leaves `dest`."""
    dest.mkdir()  # an archive with no entries unpacks to an empty folder, not to none
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                target = (dest / member.name).resolve()
                if not target.is_relative_to(dest.resolve()) or not (member.isfile() or member.isdir()):
                    raise DataError(f"the archive holds an unsafe entry {member.name!r}: it is not {dataset.label}")
            tar.extractall(dest, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        reason = " ".join(str(error).split())  # tarfile's "could not be opened" spans several lines
        raise DataError(f"the archive can't be unpacked ({reason}): it is corrupt; run the command again") from None


def _top_folder(unpacked: Path) -> Path:
    """The archive's top folder (fastai's hold one, such as `mnist_sample/`)."""
    entries = list(unpacked.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else unpacked


def _remove_leftovers(directory: Path, older_than: float = 3600) -> None:
    """Delete scratch folders that a killed download left behind (not a running one's)."""
    for leftover in directory.glob(".download-*"):
        if time.time() - leftover.stat().st_mtime > older_than:
            shutil.rmtree(leftover, ignore_errors=True)
