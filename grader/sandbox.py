"""What a worker may touch, and the confinement that holds it there.

A worker keeps the grader's user id, so that it reads the Python environment wherever that
lives (a venv under /tmp, pyenv or conda in a home of mode 0700), and loses everything
else, in this order, just before it first runs the student's code:

1. rlimits: address space, CPU time (a backstop: each question's own CPU limit is watched
   from outside), file size, open files, no core dumps;
2. capabilities, where it has any (root in Docker or on a host): all dropped, so root's
   power over other users' files and processes goes too;
3. Landlock (`landlock.py`): it reads only the interpreter, the standard library,
   site-packages, the system's shared libraries and a few files in /etc, /dev and
   /proc/self, plus its own answers and the folder the checks share with it; it writes only
   to its work folder; no TCP; no signals or abstract sockets out of its sandbox. The
   fastquiz package itself is readable only file by file: the modules its question gives
   (a stub's `from fastquiz.reference import mnist_loss`) and those whose objects the
   checks send it, never the grader, the checks, the model answers or the stubs' folder;
4. seccomp (`seccomp.py`): no new processes, sockets, IPC objects, or reach into other
   processes.

Where a layer is missing (an old kernel, another OS) the worker runs with the others, and
`Isolation` says what is missing, in one line.
"""
from __future__ import annotations

import ctypes
import importlib.util
import os
import site
import sys
import sysconfig
from dataclasses import dataclass

from . import landlock, seccomp, system
from .landlock import READ, READ_DIR, READ_FILE, WRITE  # noqa: F401 (WRITE: for the worker's folder rules)

SYSTEM_ROOTS = ("/usr", "/lib", "/lib64", "/lib32", "/opt/conda")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
                "/dev/zero", "/dev/urandom", "/dev/random", "/proc/self", "/sys/devices/system/cpu")
READ_WRITE_FILES = ("/dev/null",)
ENVIRONMENT = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "TZ", "PYTHONPATH", "PYTHONHASHSEED",
               "VIRTUAL_ENV", "CONDA_PREFIX", "LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES", "MPLBACKEND", "MPLCONFIGDIR",
               "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "HOME", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
OPEN_FILES = 256
PACKAGES = ("fastquiz", "fastquiz.grader", "fastquiz.grader.checks", "fastquiz.reference", "fastquiz.exercises",
            "fastquiz.solutions")
PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 47, 4
CAPABILITY_VERSION_3 = 0x20080522


@dataclass(frozen=True)
class Isolation:
    """What confinement is in force: `full`, or `partial` with what is missing."""

    landlock: int = 0  # ABI version, 0: none
    seccomp: bool = False
    missing: tuple[str, ...] = ()  # one phrase per layer or promise that does not hold

    @property
    def full(self) -> bool:
        return not self.missing

    def __str__(self) -> str:
        if self.full:
            return f"full (Landlock ABI {self.landlock}, seccomp, own CPU and memory limits per answer)"
        return "partial: " + "; ".join(self.missing)

    def as_dict(self) -> dict:
        return {"landlock": self.landlock, "seccomp": self.seccomp, "missing": list(self.missing)}

    @classmethod
    def from_dict(cls, data: dict) -> "Isolation":
        return cls(int(data["landlock"]), bool(data["seccomp"]), tuple(data["missing"]))


def clean_environment(environ: dict[str, str]) -> dict[str, str]:
    """The variables a worker (and the process it comes from) keeps: what Python, torch and
    matplotlib need to find their files, nothing else (no tokens, no keys, no grader paths)."""
    kept = {name: environ[name] for name in ENVIRONMENT if name in environ}
    return kept | {"MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}


def environment_rules(protected: list[str]) -> list[tuple[str, int]]:
    """Rules for everything the Python environment and the system's libraries need, with
    `protected` folders (fastquiz's own, the hidden checks, the submissions) cut out of any
    folder that holds them: Landlock can only grant, so a folder that holds a protected one is
    granted child by child instead."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, *site.getsitepackages(),
             *(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")),
             *SYSTEM_ROOTS}
    user_site = site.getusersitepackages()
    if isinstance(user_site, str):
        roots.add(user_site)
    roots |= {p for p in sys.path if p and os.path.isdir(p) and os.path.realpath(p) != os.path.realpath(os.getcwd())}
    guarded = {os.path.realpath(p) for p in protected}
    rules: dict[str, int] = {}
    for root in sorted({os.path.realpath(r) for r in roots if os.path.exists(r)}):
        if not any(_inside(root, other) for other in rules):
            _grant(root, READ, guarded, rules)
    for path in SYSTEM_FILES:
        rules.setdefault(path, READ)
    for path in READ_WRITE_FILES:
        rules[path] = READ | landlock.WRITE_FILE
    return list(rules.items())


def worker_environment(hide: list[str]) -> list[tuple[str, int]]:
    """The environment rules of a worker: everything Python needs but fastquiz's own folders and `hide`."""
    return environment_rules(package_folders() + list(hide)) if system.LINUX else []


def module_rules(files: list[str]) -> list[tuple[str, int]]:
    """Rules for single modules of the fastquiz package: each file, its cached bytecode, and a
    listing (not the contents) of each folder on the way, which Python's import needs."""
    rules = []
    for path in files:
        rules.append((path, READ_FILE))
        cached = _cached(path)
        if cached:
            rules.append((cached, READ_FILE))
        rules.append((os.path.dirname(path), READ_DIR))
    return rules


def _cached(path: str) -> str | None:
    try:
        return importlib.util.cache_from_source(path)
    except (NotImplementedError, ValueError):
        return None


def _grant(path: str, access: int, guarded: set[str], rules: dict[str, int]) -> None:
    if any(_inside(path, g) for g in guarded):
        return
    if not any(_inside(g, path) for g in guarded):
        rules[path] = access
        return
    try:
        children = os.listdir(path)
    except OSError:
        return
    rules[path] = READ_DIR  # its listing, but not what it holds
    for name in children:
        _grant(os.path.realpath(os.path.join(path, name)), access, guarded, rules)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def confine(rules: list[tuple[str, int]], memory_mb: int, cpu_seconds: int, file_mb: int) -> Isolation:
    """Confine the calling process (a worker, single-threaded) for good, as far as the OS allows."""
    missing = [f"no {limit} limit on this OS" for limit in system.set_limits(memory_mb, cpu_seconds, file_mb,
                                                                               OPEN_FILES)]
    if not system.LINUX:
        return Isolation(0, False, (*missing, f"not Linux ({sys.platform}): the student's code runs with the "
                                               "grader's rights, without Landlock or seccomp"))
    _drop_capabilities()
    abi = landlock.abi_version()
    if abi:
        ruleset = landlock.Ruleset(abi)
        for path, access in rules:
            ruleset.allow(path, access)
        _no_new_privileges()
        ruleset.restrict_self()
    else:
        missing.append("no Landlock (Linux 5.13+ with Landlock enabled): the student's code can read any file "
                       "the grader's user can, and reach the network")
    installed = seccomp.install()
    if not installed:
        missing.append(f"no seccomp filter ({'kernel refused it' if seccomp.supported() else 'no table for this CPU'}):"
                       " the student's code can start processes, open sockets and make IPC objects")
    return Isolation(abi, installed, tuple(missing))


def package_folders() -> list[str]:
    """fastquiz's own folders (grader, checks, reference, stubs, model answers): a worker may read only
    the modules of them it is given, file by file. Found without importing them."""
    folders = []
    for name in PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec and spec.submodule_search_locations:
            folders += [os.path.realpath(p) for p in spec.submodule_search_locations]
    return folders


def _no_new_privileges() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(seccomp.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def _drop_capabilities() -> None:
    """Give up every capability (root keeps its user id, and with it the environment, but loses
    its power over other users' files and processes)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:  # EINVAL: no such capability
            break
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    libc.capset(header, data)


def readable(path: str) -> bool:
    """Whether this process can read `path` (a file's first byte, or a folder's listing)."""
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, "rb") as handle:
                handle.read(1)
        return True
    except OSError:
        return False


def sample_paths(rules: list[tuple[str, int]], per_root: int = 3) -> list[str]:
    """A few files from each readable folder in `rules`, for the preflight to read from inside a worker."""
    found = []
    for path, access in rules:
        if not access & READ_FILE or not os.path.isdir(path):
            continue
        found.append(path)
        try:
            names = sorted(n for n in os.listdir(path) if n.endswith((".py", ".so")))[:per_root]
        except OSError:
            continue
        found += [os.path.join(path, n) for n in names]
    return found

