"""The MNIST_SAMPLE and MNIST download paths, end to end against a local HTTP server.

Every download here goes through `urllib` to a `ThreadingHTTPServer` on 127.0.0.1 that
serves the repacked archive from ../shared/data (and corrupted copies of it built from a
tmp folder), or small fake full-MNIST archives built here from the embedded digits, with
their checksums computed as fastai computes them; nothing else is ever contacted. Tests
that need the MNIST_SAMPLE archive skip without it.
"""
from __future__ import annotations

import hashlib
import http.server
import io
import os
import shutil
import socket
import tarfile
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from dataclasses import replace

import numpy as np

from fake_mnist import SMALL_COUNTS, expecting, fake_mnist_archive, fastai_check
from fastquiz import datasets
from fastquiz.datasets import Checksum
from fastquiz.reference import data
from fastquiz.reference.data import DataError, _held_out, check_sample_folder, load_mnist, load_mnist_sample

ARCHIVE = Path(__file__).resolve().parents[2] / "shared/data/mnist_sample.tgz"
ARCHIVE_SHA256 = "5db38c82865a96bf8c0c7ec2355e4eac35c6142d0dfd1945b2b269651668a18d"
ARCHIVE_SIZE = 3_163_294
STALL_PAUSE = 1.0  # seconds the /stalling/ server waits halfway
COUNTS = {"train_3": 6131, "train_7": 6265, "valid_3": 1010, "valid_7": 1028}


def download_sample(**options) -> Path:
    return datasets.download(datasets.MNIST_SAMPLE, **options)


def find_sample(directory: Path | None = None) -> Path | None:
    return datasets.find(datasets.MNIST_SAMPLE, directory)


def fastai_serves(monkeypatch, url: str, size: int | None = None, md5: str | None = None) -> None:
    """Point the default MNIST_SAMPLE download at `url`, with fastai's published size or MD5 replaced."""
    sample = datasets.MNIST_SAMPLE
    checksum = replace(sample.checksum, size=size or sample.checksum.size, hexdigest=md5 or sample.checksum.hexdigest)
    monkeypatch.setattr(datasets, "MNIST_SAMPLE", replace(sample, url=url, checksum=checksum))


# --- the local server ---------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files from the served folder, plus misbehaving answers under /lying/, /cut-chunked/, /not-http."""

    requests: list[str]  # set per server

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path.startswith("/lying/"):  # claims the whole file, sends half, hangs up
            body = (Path(self.directory) / self.path.removeprefix("/lying/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
        elif self.path.startswith("/cut-chunked/"):  # a chunked reply cut inside a chunk
            body = (Path(self.directory) / self.path.removeprefix("/cut-chunked/")).read_bytes()
            self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n%s\r\n" % (100_000, body[:100_000]))
            self.wfile.write(b"%x\r\n%s" % (len(body), body[100_000:101_000]))
            self.close_connection = True
        elif self.path.startswith("/stalling/"):  # half the file, a pause, then the rest
            body = (Path(self.directory) / self.path.removeprefix("/stalling/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            time.sleep(STALL_PAUSE)
            self.wfile.write(body[len(body) // 2:])
        elif self.path == "/not-http":
            self.wfile.write(b"this is not an HTTP reply\r\n\r\n")
            self.close_connection = True
        else:
            super().do_GET()


class LocalServer:
    def __init__(self, root: Path):
        self.root = root
        self.requests: list[str] = []
        handler = type("Handler", (_Handler,), {"requests": self.requests})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), lambda *a: handler(*a, directory=str(root))
        )
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{path}"

    def serve(self, name: str, data: bytes | Path) -> str:
        """Put `data` in the served folder as `name`; its URL."""
        if isinstance(data, Path):
            shutil.copyfile(data, self.root / name)
        else:
            (self.root / name).write_bytes(data)
        return self.url(name)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    local = LocalServer(tmp_path_factory.mktemp("served"))
    local.thread.start()
    yield local
    local.httpd.shutdown()
    local.httpd.server_close()
    local.thread.join(timeout=5)


@pytest.fixture
def web(server):
    """The server, with its request log emptied for this test."""
    server.requests.clear()
    return server


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No proxy, no real cache, no real ~/.fastai: every test sees empty folders."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("FASTQUIZ_DATA", str(tmp_path / "default-cache"))
    monkeypatch.setenv("FASTAI_HOME", str(tmp_path / "fastai-home"))


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist_sample.tgz"


# --- the archive and its variants ---------------------------------------------------------------


def needs_archive() -> None:
    if not ARCHIVE.is_file():
        pytest.skip(f"{ARCHIVE} is absent: the MNIST_SAMPLE archive lives outside the repository")


@pytest.fixture(scope="module")
def good_url(server) -> str:
    needs_archive()
    return server.serve("mnist_sample.tgz", ARCHIVE)


def pack(path: Path, folder: Path, arcname: str, skip: set[str] = frozenset()) -> Path:
    """Tar+gzip `folder` as `arcname`, leaving out the entries whose names are in `skip`."""
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        tar.add(folder, arcname=arcname, filter=lambda info: None if Path(info.name).name in skip else info)
    return path


def small_archive(path: Path, *members: tarfile.TarInfo) -> Path:
    """A little archive: mnist_sample/labels.csv, then `members` (files get a few bytes)."""
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("mnist_sample/labels.csv")
        info.size = 11
        tar.addfile(info, io.BytesIO(b"name,label\n"))
        for member in members:
            tar.addfile(member, io.BytesIO(b"x" * member.size) if member.isfile() else None)
    return path


def link_copy(source: Path, dest: Path) -> Path:
    """A copy of an unpacked folder made of hard links (fast); replace files, never edit them."""
    shutil.copytree(source, dest, copy_function=os.link)
    return dest


@pytest.fixture(scope="module")
def downloaded(server, good_url, tmp_path_factory):
    """One good download into $FASTQUIZ_DATA (no `directory`), with what it reported."""
    cache = tmp_path_factory.mktemp("cache")
    calls: list[tuple[int, int | None]] = []
    server.requests.clear()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FASTQUIZ_DATA", str(cache))
        mp.setenv("no_proxy", "*")
        folder = download_sample(url=good_url, sha256=ARCHIVE_SHA256.upper(),
                                 progress=lambda done, total: calls.append((done, total)))
    return {"folder": folder, "cache": cache, "progress": calls, "requests": list(server.requests)}


@pytest.fixture(scope="module")
def unpacked(downloaded) -> Path:
    """The archive unpacked once, by the good download: variants and copies are made from it."""
    return downloaded["folder"]


# --- a good download and the cache -------------------------------------------------------------


def test_a_good_download_yields_a_complete_folder_that_loads(downloaded):
    folder = downloaded["folder"]
    check_sample_folder(folder)
    sample = load_mnist_sample(folder)
    assert {name: len(getattr(sample, name)) for name in COUNTS} == COUNTS
    assert sample.train_3.shape[1:] == (28, 28)
    assert 0 <= float(sample.train_3.min()) and float(sample.train_3.max()) <= 1
    assert (folder / "labels.csv").is_file()


def test_fastquiz_data_selects_the_cache_dir(downloaded, monkeypatch):
    assert downloaded["folder"] == downloaded["cache"] / "mnist_sample"
    monkeypatch.setenv("FASTQUIZ_DATA", str(downloaded["cache"]))
    assert datasets.cache_dir() == downloaded["cache"]
    assert find_sample() == downloaded["folder"]


def test_a_good_download_fetches_once_reports_progress_and_leaves_no_scratch(downloaded):
    assert downloaded["requests"] == ["/mnist_sample.tgz"]
    assert downloaded["progress"][-1] == (ARCHIVE_SIZE, ARCHIVE_SIZE)
    assert sorted(p.name for p in downloaded["cache"].iterdir()) == ["mnist_sample"]


def test_a_server_that_stalls_is_reported_as_waiting_and_the_download_completes(web, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(datasets, "STALL_SECONDS", STALL_PAUSE / 4)
    data = os.urandom(3 * datasets.CHUNK)
    url = web.serve("stalls.bin", data).replace("/stalls.bin", "/stalling/stalls.bin")
    datasets._fetch(url, tmp_path / "got.bin", progress=None)
    assert (tmp_path / "got.bin").read_bytes() == data
    waiting = [line for line in capsys.readouterr().err.splitlines() if line]
    assert waiting and all("still waiting (giving up after 30 s)" in line and url in line for line in waiting)


def test_a_second_call_reuses_the_cache_without_fetching(downloaded, web, good_url):
    again = download_sample(url=good_url, directory=downloaded["cache"], sha256=ARCHIVE_SHA256)
    assert again == downloaded["folder"]
    assert web.requests == []


# --- archives that are refused -----------------------------------------------------------------


def assert_cache_untouched(cache: Path) -> None:
    """The cache holds neither a sample folder nor a scratch folder."""
    left = sorted(p.name for p in cache.iterdir()) if cache.exists() else []
    assert "mnist_sample" not in left
    assert not [name for name in left if name.startswith(".download-")], left


def test_a_wrong_sha256_leaves_the_cache_untouched(web, good_url, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match=r"sha256 is 5db38c.*expected 0{64}"):
        download_sample(url=good_url, directory=cache, sha256="0" * 64)
    assert_cache_untouched(cache)
    assert web.requests == ["/mnist_sample.tgz"]


def test_the_default_path_rejects_an_archive_whose_size_differs_from_fastais(web, good_url, tmp_path, monkeypatch):
    fastai_serves(monkeypatch, good_url)
    cache = tmp_path / "cache"
    expected = f"{ARCHIVE_SIZE:,} bytes, expected {datasets.MNIST_SAMPLE.checksum.size:,}"
    with pytest.raises(DataError, match=expected):
        download_sample(directory=cache)
    assert_cache_untouched(cache)
    assert web.requests == ["/mnist_sample.tgz"]


def test_the_default_path_rejects_an_archive_of_the_right_size_with_a_wrong_md5(web, good_url, tmp_path, monkeypatch):
    fastai_serves(monkeypatch, good_url, size=ARCHIVE_SIZE)
    with pytest.raises(DataError, match=f"md5 is .*expected {datasets.MNIST_SAMPLE.checksum.hexdigest}"):
        download_sample(directory=tmp_path / "cache")
    assert_cache_untouched(tmp_path / "cache")


def test_a_server_that_sends_less_than_its_content_length_is_reported(web, good_url, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match=f"stopped after {ARCHIVE_SIZE // 2:,} of {ARCHIVE_SIZE:,} bytes"):
        download_sample(url=web.url("lying/mnist_sample.tgz"), directory=cache, sha256=ARCHIVE_SHA256)
    assert_cache_untouched(cache)


def test_a_chunked_reply_cut_short_is_a_download_error_not_a_traceback(web, good_url, tmp_path):
    with pytest.raises(DataError, match="could not download .*IncompleteRead"):
        download_sample(url=web.url("cut-chunked/mnist_sample.tgz"), directory=tmp_path / "cache")
    assert_cache_untouched(tmp_path / "cache")


def test_a_reply_that_is_not_http_is_a_download_error(web, tmp_path):
    with pytest.raises(DataError, match="could not download .*not-http"):
        download_sample(url=web.url("not-http"), directory=tmp_path / "cache")


def test_a_truncated_archive_served_honestly_fails_to_unpack(web, tmp_path):
    needs_archive()
    url = web.serve("truncated.tgz", ARCHIVE.read_bytes()[: ARCHIVE_SIZE // 2])
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match="can't be unpacked .*Compressed file ended"):
        download_sample(url=url, directory=cache)  # no --sha256: the unpacking must catch it
    assert_cache_untouched(cache)


@pytest.mark.parametrize("name, body", [
    ("page.tgz", b"<html>\n<body>Not the archive</body>\n</html>\n"),
    ("empty.tgz", b""),
])
def test_a_file_that_is_no_archive_fails_to_unpack_with_a_one_line_message(web, tmp_path, name, body):
    with pytest.raises(DataError, match="can't be unpacked") as caught:
        download_sample(url=web.serve(name, body), directory=tmp_path / "cache")
    assert "\n" not in str(caught.value)
    assert_cache_untouched(tmp_path / "cache")


def test_an_archive_with_no_entries_is_reported_as_incomplete(web, tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz"):
        pass
    with pytest.raises(DataError, match=r"archive is incomplete \(train/3 has 0 PNG files, expected 6131\)"):
        download_sample(url=web.serve("no-entries.tgz", buffer.getvalue()), directory=tmp_path / "cache")
    assert_cache_untouched(tmp_path / "cache")


@pytest.fixture(scope="module")
def missing_pngs_url(server, unpacked, tmp_path_factory) -> str:
    """train/3 less its first five PNGs (6126 of 6131), and nothing after it: the count check
    stops at the first short folder, and a smaller archive is quicker to build and unpack."""
    gone = {p.name for p in sorted((unpacked / "train/3").glob("*.png"))[:5]}
    archive = pack(tmp_path_factory.mktemp("variants") / "short.tgz", unpacked / "train" / "3", "mnist_sample/train/3", skip=gone)
    return server.serve("short.tgz", archive)


def test_an_archive_missing_some_pngs_is_refused_and_names_the_folder(web, missing_pngs_url, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match=r"incomplete \(train/3 has 6126 PNG files, expected 6131\)") as caught:
        download_sample(url=missing_pngs_url, directory=cache)
    assert ".download-" not in str(caught.value)  # the scratch folder is gone: don't name it
    assert_cache_untouched(cache)


def _entry(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, linkname, (4 if kind == tarfile.REGTYPE else 0)
    return info


@pytest.mark.parametrize("escape", ["../evil", "mnist_sample/../../../../evil", "ABSOLUTE"])
def test_an_archive_entry_escaping_the_folder_is_refused_and_nothing_is_written_outside(web, tmp_path, escape):
    outside = tmp_path / "evil"  # where the deepest escape would land: cache/.download-*/unpacked/../../../
    name = str(tmp_path / "evil") if escape == "ABSOLUTE" else escape
    archive = small_archive(tmp_path / "escape.tgz", _entry(name), _entry("mnist_sample/train/3/1.png"))
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match="unsafe entry"):
        download_sample(url=web.serve("escape.tgz", archive.read_bytes()), directory=cache)
    assert not outside.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "escape.tgz"]
    assert list(cache.iterdir()) == []


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_an_archive_with_a_link_is_refused_and_nothing_is_written_through_it(web, tmp_path, kind):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    target = str(outside) if kind == tarfile.SYMTYPE else str(outside / "keep.txt")
    archive = small_archive(
        tmp_path / "link.tgz",
        _entry("mnist_sample/link", kind, linkname=target),
        _entry("mnist_sample/link/evil.png" if kind == tarfile.SYMTYPE else "mnist_sample/link"),
    )
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match="unsafe entry 'mnist_sample/link'"):
        download_sample(url=web.serve("link.tgz", archive.read_bytes()), directory=cache)
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (outside / "keep.txt").read_text() == "mine"
    assert list(cache.iterdir()) == []


def test_a_404_is_a_download_error(web, tmp_path):
    with pytest.raises(DataError, match=r"could not download http://127\.0\.0\.1:\d+/no-such-file\.tgz \(File not found\)"):
        download_sample(url=web.url("no-such-file.tgz"), directory=tmp_path / "cache", sha256=ARCHIVE_SHA256)
    assert web.requests == ["/no-such-file.tgz"]
    assert_cache_untouched(tmp_path / "cache")


def test_a_refused_connection_is_a_download_error(tmp_path):
    url = closed_port_url()
    with pytest.raises(DataError, match=f"could not download {url} .*refused"):
        download_sample(url=url, directory=tmp_path / "cache")
    assert_cache_untouched(tmp_path / "cache")


# --- folders already on disk -------------------------------------------------------------------


def test_an_existing_fastai_folder_is_reused_with_no_request(web, unpacked, tmp_path, monkeypatch):
    fastai_home = tmp_path / "fastai-home"
    folder = link_copy(unpacked, fastai_home / "data" / "mnist_sample")
    monkeypatch.setenv("FASTAI_HOME", str(fastai_home))
    fastai_serves(monkeypatch, web.url("mnist_sample.tgz"))
    assert download_sample(directory=tmp_path / "cache") == folder
    assert find_sample(tmp_path / "cache") == folder
    assert web.requests == []
    assert not (tmp_path / "cache" / "mnist_sample").exists()


def test_an_incomplete_cache_folder_is_reported_not_replaced(web, good_url, tmp_path, unpacked):
    cache = tmp_path / "cache"
    partial = cache / "mnist_sample" / "train" / "3"
    partial.mkdir(parents=True)
    shutil.copyfile(next((unpacked / "train/3").glob("*.png")), partial / "1.png")
    with pytest.raises(DataError, match=r"train/3 has 1 PNG files, expected 6131.*delete it"):
        download_sample(url=good_url, directory=cache, sha256=ARCHIVE_SHA256)
    assert web.requests == []
    assert [p.name for p in partial.iterdir()] == ["1.png"]
    assert sorted(p.name for p in cache.iterdir()) == ["mnist_sample"]
    assert find_sample(cache) is None  # and it is not offered as data either


def test_a_stale_scratch_folder_is_swept_but_a_running_one_is_kept(web, tmp_path):
    cache = tmp_path / "cache"
    stale, running = cache / ".download-stale", cache / ".download-running"
    for folder in (stale, running):
        (folder / "unpacked").mkdir(parents=True)
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    with pytest.raises(DataError, match="could not download"):
        download_sample(url=web.url("nothing-here.tgz"), directory=cache)
    assert not stale.exists()
    assert running.is_dir()


def _not_a_png(path: Path, kind: str) -> None:
    path.unlink()  # a hard link into the session's unpacked folder: replace it, never write through it
    if kind == "garbage":
        path.write_bytes(b"this is not a PNG at all")
    elif kind == "jpeg":
        Image.new("L", (28, 28)).save(path, format="JPEG")
    else:
        Image.new("L", (32, 32)).save(path, format="PNG")


@pytest.mark.parametrize("kind, message", [
    ("garbage", "can't be read as a PNG"),
    ("jpeg", "is not a 28x28 PNG"),
    ("wrong-size", "is not a 28x28 PNG"),
])
def test_a_file_that_is_not_a_mnist_png_in_a_complete_folder_is_named(unpacked, tmp_path, kind, message):
    folder = link_copy(unpacked, tmp_path / "mnist_sample")
    bad = sorted((folder / "train" / "3").glob("*.png"))[0]
    _not_a_png(bad, kind)
    check_sample_folder(folder)  # the count is right: only reading the images finds it
    with pytest.raises(DataError, match=message) as caught:
        load_mnist_sample(folder)
    assert str(bad) in str(caught.value)
    assert (unpacked / "train" / "3" / bad.name).read_bytes()[:4] == b"\x89PNG"


# --- fastai's own checksums, and the full MNIST ------------------------------------------------


@pytest.fixture
def small_mnist(monkeypatch):
    """The full MNIST's expected counts made small, for fake archives of that size."""
    monkeypatch.setattr(data, "MNIST_COUNTS", SMALL_COUNTS)
    return SMALL_COUNTS


def test_the_default_check_is_fastais_md5_of_the_first_mib_with_the_size(web, tmp_path, monkeypatch, small_mnist):
    archive = fake_mnist_archive(tmp_path / "mnist_png.tgz")
    size, md5 = fastai_check(archive)
    assert size > 2**20 and md5 != hashlib.md5(archive.read_bytes()).hexdigest()
    mnist = replace(datasets.MNIST, url=web.serve("mnist_png.tgz", archive), checksum=replace(
        datasets.MNIST.checksum, size=size, hexdigest=md5))
    folder = datasets.download(mnist, directory=tmp_path / "cache")
    assert folder == tmp_path / "cache" / "mnist_png" and (folder / "arrays.npz").is_file()
    images, labels = load_mnist(folder)
    assert images.shape == (300, 28, 28) and torch_counts(labels) == list(small_mnist["training"])
    assert torch_counts(_held_out(folder)[1]) == list(small_mnist["testing"])


def torch_counts(labels) -> list[int]:
    return np.bincount(labels.numpy(), minlength=10).tolist()


def test_a_changed_byte_in_the_first_mib_fails_fastais_check(web, tmp_path, small_mnist):
    archive = fake_mnist_archive(tmp_path / "mnist_png.tgz")
    size, md5 = fastai_check(archive)
    body = bytearray(archive.read_bytes())
    body[1000] ^= 0xFF
    mnist = replace(datasets.MNIST, url=web.serve("changed.tgz", bytes(body)),
                    checksum=replace(datasets.MNIST.checksum, size=size, hexdigest=md5))
    with pytest.raises(DataError, match=f"md5 is .*expected {md5}: it is corrupt or not MNIST"):
        datasets.download(mnist, directory=tmp_path / "cache")
    assert not (tmp_path / "cache" / "mnist_png").exists()


def test_fastais_published_mnist_archive_is_the_default(small_mnist):
    assert datasets.DATASETS["mnist"].url == "https://s3.amazonaws.com/fast-ai-imageclas/mnist_png.tgz"
    assert datasets.MNIST.checksum == Checksum("md5", "03639f83c4e3d19e0a3a53a8a997c487", 15_683_414, 2**20)
    assert datasets.MNIST_SAMPLE.checksum == Checksum("md5", "2dbc7ec6f9259b583af0072c55816a88", 3_214_948, 2**20)


def test_an_incomplete_mnist_archive_names_the_folder_and_caches_nothing(web, tmp_path, small_mnist):
    counts = {"training": (30,) * 9 + (29,), "testing": (5,) * 10}
    url = web.serve("short.tgz", fake_mnist_archive(tmp_path / "short.tgz", counts, padding=10))
    with pytest.raises(DataError, match="training/9 has 29 PNG files, expected 30"):
        datasets.download(datasets.MNIST, url=url, directory=tmp_path / "cache")
    assert not (tmp_path / "cache" / "mnist_png").exists()


def test_research_task_2_grades_on_the_full_mnist_when_it_is_there(web, tmp_path, monkeypatch, small_mnist):
    folder = datasets.download(datasets.MNIST, url=web.serve("m.tgz", fake_mnist_archive(tmp_path / "m.tgz")),
                               directory=tmp_path / "cache")
    monkeypatch.setenv("FASTQUIZ_DATA", str(tmp_path / "cache"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(expecting(SMALL_COUNTS, tmp_path / "site")),
                                                                   os.environ.get("PYTHONPATH")])))
    assert datasets.mnist_for_grading() == folder
    from fastquiz.grader.runner import grade

    solution = (Path(__file__).resolve().parents[1] / "solutions" / "r2_all_ten_digits.py").read_text()
    untrained = solution.replace("    return model\n", "    return nn.Linear(28 * 28, 10).apply(lambda m: nn.init.zeros_(m.weight))\n")
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "r2_all_ten_digits.py").write_text(untrained)
    result = grade(tmp_path / "answers", ["r2"]).questions[0]
    part = next(p for p in result.parts if p.name == "test_the_trained_model_recognises_digits_it_never_saw")
    assert "10.0% of 50 digits it never saw, expected at least 93%" in part.message and str(folder) in part.message
