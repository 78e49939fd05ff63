"""Wheels of installed distributions, and exact pins of what fastquiz runs with.

`fastquiz export` carries the students' build of the installation that makes the export, so
that a platform grades with exactly this version: a wheel built from the installed files (from
the distribution's RECORD), or, for an editable install, from the files `pyproject.toml`
packages. It holds what `pip install fastquiz` gives a student but the model answers
(`solutions/`, with their explanations): the stubs, the reference, the public checks and their
hints; never the model answers, nor an instructor's hidden checks.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import tomllib
import urllib.parse
import urllib.request
import zipfile
from importlib import metadata
from pathlib import Path, PurePosixPath

from .errors import FastquizError

_NOT_PACKED = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"}  # what pip adds at install time


MODEL_ANSWERS = "fastquiz/solutions/"  # the model answers' package, as a wheel names its files


def students_wheel(dest: Path) -> Path:
    """Write the students' build of the running fastquiz into folder `dest`: its wheel without the
    model answers; returns its path."""
    dist = _running_fastquiz()
    source = _editable_source(dist)
    files = _project_files(source) if source else _installed_files(dist)
    _refuse_unpaired_checks(files)
    files = {name: path for name, path in files.items() if not name.startswith(MODEL_ANSWERS)}
    return _write_wheel(dest, dist, files, tags=["py3-none-any"])


def wheel_of(dist: metadata.Distribution, dest: Path) -> Path:
    """Write a wheel of the installed distribution `dist` into folder `dest`, from the files its
    RECORD lists (as pip installed them); returns its path."""
    tags = [line.split(":", 1)[1].strip() for line in (dist.read_text("WHEEL") or "").splitlines()
            if line.startswith("Tag:")]
    return _write_wheel(dest, dist, _installed_files(dist), tags or ["py3-none-any"])


def pinned_requirements() -> list[str]:
    """fastquiz's dependencies and theirs, each pinned to the version installed here (`pkg==1.2.3`;
    torch without its local label, so that `torch==2.13.0` also takes the CPU build
    `2.13.0+cpu`). Markers are read for this platform; extras, and what is not installed, are left out."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    pins, todo = {}, [_running_fastquiz()]
    while todo:
        for text in todo.pop().requires or []:
            requirement = Requirement(text)
            wanted = canonicalize_name(requirement.name)
            if wanted in pins or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
                continue
            try:
                dist = metadata.distribution(wanted)
            except metadata.PackageNotFoundError:  # not installed here: left for pip to resolve
                continue
            pins[wanted] = Version(dist.version).public
            todo.append(dist)
    return [f"{n}=={v}" for n, v in sorted(pins.items())]


def _running_fastquiz() -> metadata.Distribution:
    """The installed distribution this fastquiz runs from (not, say, a build's fastquiz.egg-info
    that happens to lie in the current folder)."""
    package = Path(__file__).resolve().parent
    for dist in metadata.distributions(name="fastquiz"):
        if dist.read_text("RECORD") is None:  # not installed: a build's metadata
            continue
        source = _editable_source(dist)
        if source and package.is_relative_to(source.resolve()) or \
                any(Path(str(dist.locate_file(f))).resolve() == package / "__init__.py" for f in dist.files or []):
            return dist
    raise FastquizError("can't find the installation of fastquiz that is running: install it with pip, then export again")


def _editable_source(dist: metadata.Distribution) -> Path | None:
    """The source folder of an editable install, None for an ordinary one."""
    info = json.loads(dist.read_text("direct_url.json") or "{}")
    if not info.get("dir_info", {}).get("editable"):
        return None
    return Path(urllib.request.url2pathname(urllib.parse.urlparse(info["url"]).path))


def _project_files(root: Path) -> dict[str, Path]:
    """What setuptools packages from `root`, by `pyproject.toml`'s [tool.setuptools]: each
    package's modules and its package data, by their names in the wheel."""
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders, data = config.get("package-dir", {}), config.get("package-data", {})
    files = {}
    for package in config["packages"]:
        owner = max((p for p in folders if package == p or package.startswith(f"{p}.")), key=len, default="")
        folder = root / folders.get(owner, owner.replace(".", "/")) / package[len(owner):].strip(".").replace(".", "/")
        for pattern in ["*.py", *data.get(package, [])]:
            for path in sorted(folder.glob(pattern)):
                if path.is_file():
                    files[f"{package.replace('.', '/')}/{path.relative_to(folder).as_posix()}"] = path
    return files


def _installed_files(dist: metadata.Distribution) -> dict[str, Path]:
    """The files pip installed for `dist`, by their names in a wheel; scripts (pip writes them
    from entry_points.txt), bytecode and what pip adds at install time left out."""
    info = _info_folder(dist)
    files = {}
    for file in dist.files or []:
        parts = PurePosixPath(file).parts
        if parts[0] == ".." or "__pycache__" in parts or (parts[0].endswith(".dist-info") and parts[-1] in _NOT_PACKED):
            continue
        name = str(PurePosixPath(info, *parts[1:])) if parts[0].endswith(".dist-info") else str(file)
        files[name] = Path(str(dist.locate_file(file)))
    return files


def _refuse_unpaired_checks(files: dict[str, Path]) -> None:
    """Every check module is a public question's (its stub has the same name): a module of an
    instructor's hidden checks left among them is never shipped."""
    checks = {PurePosixPath(n).name for n in files if re.fullmatch(r"fastquiz/grader/checks/[qr]\d\w*\.py", n)}
    stubs = {PurePosixPath(n).name for n in files if n.startswith("fastquiz/exercises/")}
    if checks - stubs:
        raise FastquizError(f"grader/checks holds {sorted(checks - stubs)[0]}, which no exercise stub matches: "
                            "keep hidden checks in a folder of their own (`fastquiz export gradescope --hidden DIR`), "
                            "then export again")


def _write_wheel(dest: Path, dist: metadata.Distribution, files: dict[str, Path], tags: list[str]) -> Path:
    """A wheel (PEP 427) of `files` and `dist`'s metadata; its RECORD written last."""
    info = _info_folder(dist)
    name, version = info.removesuffix(".dist-info").rsplit("-", 1)
    extra = {f"{info}/{n}": text.encode() for n in ("METADATA", "entry_points.txt")
             if (text := dist.read_text(n)) is not None}
    extra[f"{info}/WHEEL"] = ("Wheel-Version: 1.0\nGenerator: fastquiz\nRoot-Is-Purelib: "
                              f"{'true' if tags == ['py3-none-any'] else 'false'}\n"
                              + "".join(f"Tag: {t}\n" for t in tags)).encode()
    groups = [sorted({t.split("-")[i] for t in tags}) for i in range(3)]
    path = Path(dest) / f"{name}-{version}-{'-'.join('.'.join(g) for g in groups)}.whl"
    compression = zipfile.ZIP_DEFLATED if tags == ["py3-none-any"] else zipfile.ZIP_STORED  # big binaries: fast
    record = []
    with zipfile.ZipFile(path, "w") as wheel:
        contents = ((arcname, source.read_bytes()) for arcname, source in files.items() if arcname not in extra)
        for arcname, data in [*contents, *extra.items()]:
            wheel.writestr(_entry(arcname, compression), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arcname},sha256={digest},{len(data)}")
        wheel.writestr(_entry(f"{info}/RECORD", compression), "\n".join([*record, f"{info}/RECORD,,"]) + "\n")
    return path


def _info_folder(dist: metadata.Distribution) -> str:
    """The wheel's .dist-info folder: the normalised name and the version (PEP 427)."""
    return f"{re.sub(r'[-_.]+', '_', dist.metadata['Name']).lower()}-{dist.version}.dist-info"


def _entry(arcname: str, compression: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(arcname, date_time=(2024, 1, 1, 0, 0, 0))  # the same bytes for the same files
    entry.external_attr = 0o644 << 16
    entry.compress_type = compression
    return entry
