"""`fastquiz data download`, `fastquiz data path` and `pipeline --data`, driven through click.

Downloads go to a `ThreadingHTTPServer` on 127.0.0.1 serving ../shared/data/mnist_sample.tgz
from a tmp folder; nothing else is contacted. Tests that need the archive skip without it.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dataclasses import replace

from fake_mnist import SMALL_COUNTS, fake_mnist_archive, fastai_check
from fastquiz import datasets
from fastquiz.cli import main
from fastquiz.reference import data

ARCHIVE = Path(__file__).resolve().parents[2] / "shared/data/mnist_sample.tgz"
ARCHIVE_SHA256 = "5db38c82865a96bf8c0c7ec2355e4eac35c6142d0dfd1945b2b269651668a18d"
PROGRESS_LABEL = "Downloading MNIST_SAMPLE"  # the progress bar's line on stderr when it is not a terminal


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        super().do_GET()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Serves a tmp folder on 127.0.0.1; `.url(name)`, `.root`, `.requests` (paths asked for)."""
    root = tmp_path_factory.mktemp("served")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    httpd.requests, httpd.root = [], root
    httpd.url = lambda name: f"http://127.0.0.1:{httpd.server_address[1]}/{name}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def web(server):
    server.requests.clear()
    return server


@pytest.fixture(scope="module")
def good_url(server) -> str:
    if not ARCHIVE.is_file():
        pytest.skip(f"{ARCHIVE} is absent: the MNIST_SAMPLE archive lives outside the repository")
    shutil.copyfile(ARCHIVE, server.root / "mnist_sample.tgz")
    return server.url("mnist_sample.tgz")


def _clean_env(tmp: Path) -> dict[str, str | None]:
    """Empty cache and fastai folders, and no proxy between us and 127.0.0.1."""
    env = {name: None for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")}
    return env | {"no_proxy": "*", "FASTQUIZ_DATA": str(tmp / "cache"), "FASTAI_HOME": str(tmp / "fastai-home")}


@pytest.fixture
def run(tmp_path):
    """Invoke `fastquiz ARGS...` with a clean environment; the click Result."""
    runner = CliRunner()
    return lambda *args, env=None: runner.invoke(main, [str(a) for a in args], env=_clean_env(tmp_path) | (env or {}))


def one_error_line(result: Result, exit_code: int) -> str:
    """Assert `result` failed with `exit_code` and a single "Error: ..." line; that line."""
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line != PROGRESS_LABEL]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


@pytest.fixture(scope="module")
def downloaded(server, good_url, tmp_path_factory):
    """One `fastquiz data download --url --sha256 --dir` into a fresh folder."""
    cache = tmp_path_factory.mktemp("cli-cache")
    server.requests.clear()
    result = CliRunner().invoke(
        main, ["data", "download", "--url", good_url, "--sha256", ARCHIVE_SHA256, "--dir", str(cache)],
        env=_clean_env(tmp_path_factory.mktemp("env")),
    )
    return {"result": result, "cache": cache, "requests": list(server.requests)}


def test_data_download_prints_the_folder_and_exits_0(downloaded):
    result, cache = downloaded["result"], downloaded["cache"]
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{cache / 'mnist_sample'}\n"
    assert downloaded["requests"] == ["/mnist_sample.tgz"]
    assert sorted(p.name for p in cache.iterdir()) == ["mnist_sample"]
    assert len(list((cache / "mnist_sample" / "valid" / "7").glob("*.png"))) == 1028


def test_data_download_again_reuses_the_folder_without_a_request(downloaded, web, good_url, run):
    result = run("data", "download", "--url", good_url, "--sha256", ARCHIVE_SHA256, "--dir", downloaded["cache"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{downloaded['cache'] / 'mnist_sample'}\n"
    assert web.requests == []


def test_data_path_prints_the_cached_folder(downloaded, run):
    folder = downloaded["cache"] / "mnist_sample"
    by_dir = run("data", "path", "--dir", downloaded["cache"])
    by_env = run("data", "path", env={"FASTQUIZ_DATA": str(downloaded["cache"])})
    assert (by_dir.exit_code, by_dir.stdout) == (0, f"{folder}\n")
    assert (by_env.exit_code, by_env.stdout) == (0, f"{folder}\n")


def test_data_path_says_embedded_when_nothing_is_cached(run, tmp_path):
    result = run("data", "path")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("embedded ")
    assert not (tmp_path / "cache").exists()


def test_a_wrong_sha256_is_one_error_line_and_caches_nothing(web, good_url, run, tmp_path):
    result = run("data", "download", "--url", good_url, "--sha256", "0" * 64, "--dir", tmp_path / "dl")
    line = one_error_line(result, 3)
    assert f"sha256 is {ARCHIVE_SHA256}, expected {'0' * 64}" in line
    assert list((tmp_path / "dl").iterdir()) == []
    assert web.requests == ["/mnist_sample.tgz"]


def test_a_404_is_one_error_line(web, run, tmp_path):
    line = one_error_line(run("data", "download", "--url", web.url("nope.tgz"), "--dir", tmp_path / "dl"), 3)
    assert line.startswith(f"Error: could not download {web.url('nope.tgz')}")


def test_a_closed_port_is_one_error_line(run, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/mnist_sample.tgz"
    line = one_error_line(run("data", "download", "--url", url, "--dir", tmp_path / "dl"), 3)
    assert line.startswith(f"Error: could not download {url}")


def test_without_network_the_command_suggested_for_a_copy_you_have_works(good_url, run, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/mnist_sample.tgz"
    line = one_error_line(run("data", "download", "--url", url, "--dir", tmp_path / "dl"), 3)
    suggested = line.split("`")[1].split()  # fastquiz data download mnist_sample --url file:///PATH/TO/mnist_sample.tgz
    assert suggested[:5] == ["fastquiz", "data", "download", "mnist_sample", "--url"]
    assert suggested[5] == "file:///PATH/TO/mnist_sample.tgz"
    result = run(*suggested[1:5], ARCHIVE.as_uri(), "--dir", tmp_path / "dl")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "dl" / "mnist_sample")


def test_a_web_page_instead_of_the_archive_is_one_error_line(web, run, tmp_path):
    (web.root / "page.tgz").write_text("<html>\n<body>moved</body>\n</html>\n")
    line = one_error_line(run("data", "download", "--url", web.url("page.tgz"), "--dir", tmp_path / "dl"), 3)
    assert "can't be unpacked" in line


def test_an_incomplete_cache_folder_is_one_error_line_and_is_kept(web, good_url, run, tmp_path):
    partial = tmp_path / "dl" / "mnist_sample" / "train" / "3"
    partial.mkdir(parents=True)
    result = run("data", "download", "--url", good_url, "--sha256", ARCHIVE_SHA256, "--dir", tmp_path / "dl")
    line = one_error_line(result, 3)
    assert f"{partial} has 0 PNG files, expected 6131" in line
    assert partial.is_dir()
    assert web.requests == []


def test_sha256_without_url_is_refused(web, run, tmp_path):
    line = one_error_line(run("data", "download", "--sha256", ARCHIVE_SHA256, "--dir", tmp_path / "dl"), 1)
    assert "--sha256" in line and "--url" in line
    assert web.requests == []
    assert not (tmp_path / "dl").exists()


def test_pipeline_with_a_missing_data_folder_exits_3_with_one_line(run, tmp_path):
    missing = tmp_path / "no-such-folder"
    line = one_error_line(run("pipeline", "--data", missing, "--device", "cpu"), 3)
    assert f"{missing} is not a folder" in line


def test_pipeline_with_an_incomplete_data_folder_exits_3_with_one_line(run, tmp_path):
    (tmp_path / "partial" / "train" / "3").mkdir(parents=True)
    line = one_error_line(run("pipeline", "--data", tmp_path / "partial", "--device", "cpu"), 3)
    assert "has 0 PNG files, expected 6131" in line


def test_data_download_mnist_fetches_verifies_and_prints_the_full_mnist(web, run, tmp_path, monkeypatch):
    monkeypatch.setattr(data, "MNIST_COUNTS", SMALL_COUNTS)
    archive = fake_mnist_archive(web.root / "mnist_png.tgz")
    size, md5 = fastai_check(archive)
    checksum = replace(datasets.MNIST.checksum, size=size, hexdigest=md5)
    monkeypatch.setitem(datasets.DATASETS, "mnist", replace(datasets.MNIST, url=web.url("mnist_png.tgz"),
                                                            checksum=checksum))
    result = run("data", "download", "mnist", "--dir", tmp_path / "cache")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "cache" / "mnist_png")
    assert run("data", "path", "mnist", "--dir", tmp_path / "cache").stdout.strip() == result.stdout.strip()
    assert "fastquiz data download mnist" in run("data", "path", "mnist", "--dir", tmp_path / "nothing").stdout
