"""What a worker may touch, and the confinement that holds it there.

A worker keeps the grader's user id, so that it reads the Python environment wherever that
lives (a venv under /tmp, pyenv or conda in a home of mode 0700), and loses everything
else, in this order, just before it first runs the student's code:

1. rlimits: address space, CPU time (a backstop: each question's own CPU limit is watched
   from outside), file size, open files, threads, no core dumps;
2. an account of its own, where the grader is root (in Docker, in CI): a user id no other
   process has (`worker_account`), so that root's files are not its own, the kernel's
   RLIMIT_NPROC bounds its threads (it never binds uid 0), and it can signal nobody. It keeps
   one capability, reading past file modes, so that it still reads the Python environment in
   a 0700 home (Landlock decides what it reads); it writes its work folder, handed over to it.
   An ordinary user's worker keeps that user's id, and RLIMIT_NPROC counts from that user's
   threads now;
3. capabilities: every other one dropped, so root's power over other users' files and
   processes goes too;
4. Landlock (`landlock.py`): it reads only the interpreter, the standard library,
   site-packages, the system's shared libraries and a few files in /etc, /dev and
   /proc/self, plus its own answers and the folder the checks share with it; it writes only
   to its work folder; no TCP; no signals or abstract sockets out of its sandbox. The
   fastquiz package itself is readable only file by file: the modules its question gives
   (a stub's `from fastquiz.reference import mnist_loss`) and those whose objects the
   checks send it, never the grader, the checks, the model answers or the stubs' folder;
5. seccomp (`seccomp.py`): an allow-list of what a Python + torch computation needs; no new
   processes, sockets, IPC objects, metadata changes or reach into other processes.

Torch's and the BLAS libraries' thread pools are sized to one thread (`one_thread`), in the
processes workers come from and in their environment.

Where a layer is missing (an old kernel, another OS) the worker runs with the others, and
`Isolation` says what is missing, in one line.
"""
from __future__ import annotations

import ctypes
import errno
import importlib.util
import os
import site
import sys
import sysconfig
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Iterator

from . import landlock, seccomp, system
from .protocol import Preflight, RunConfig, Trial, WorkerSettings
from .landlock import READ, READ_DIR, READ_FILE, WRITE  # noqa: F401 (WRITE: for the worker's folder rules)

SYSTEM_ROOTS = ("/usr", "/lib", "/lib64", "/lib32", "/opt/conda")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
                "/dev/zero", "/dev/urandom", "/dev/random", "/proc/self", "/sys/devices/system/cpu")
READ_WRITE_FILES = ("/dev/null",)
ENVIRONMENT = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC", "TZ", "PYTHONPATH", "PYTHONHASHSEED",
               "VIRTUAL_ENV", "CONDA_PREFIX", "LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES", "MPLBACKEND", "MPLCONFIGDIR",
               "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "HOME")
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                     "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS", "BLIS_NUM_THREADS")}
OPENBLAS_SETTERS = ("openblas_set_num_threads", "openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                    "scipy_openblas_set_num_threads64_")  # C interfaces (those ending "_64_" take a pointer)
OPEN_FILES = 256
THREADS = 32  # threads an answer's process may have (its pools have one each; threading.Thread has a few)
ACCOUNTS = 1 << 31  # a worker's own user id, where the grader is root: this plus its pid, where that is mapped
PACKAGES = ("fastquiz", "fastquiz.grader", "fastquiz.grader.checks", "fastquiz.reference", "fastquiz.exercises",
            "fastquiz.solutions")
PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, PR_SET_KEEPCAPS, PR_SET_DUMPABLE = 24, 47, 4, 8, 4
CAPABILITY_VERSION_3 = 0x20080522
CAP_DAC_READ_SEARCH = 2


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
    return kept | ONE_THREAD | {"MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}


def one_thread() -> None:
    """Size the thread pools of torch and of any OpenBLAS loaded (numpy's) to one thread, for this
    process and the processes it starts or forks: a worker computes on one core, and a forked
    child of a process that ran a parallel op hangs on its own first one otherwise."""
    import torch

    os.environ.update(ONE_THREAD)
    torch.set_num_threads(1)
    if not system.LINUX:
        return
    try:
        with open("/proc/self/maps") as maps:
            libraries = {line.split()[-1] for line in maps if "openblas" in line.lower() and ".so" in line}
    except OSError:
        return
    for path in libraries:
        library = ctypes.CDLL(path)
        for name in OPENBLAS_SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(ctypes.c_int(1))
                break


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
    paths = [*sys.path, *os.environ.get("PYTHONPATH", "").split(os.pathsep)]  # what a fresh origin will have too
    roots |= {p for p in paths if p and os.path.isdir(p) and os.path.realpath(p) != os.path.realpath(os.getcwd())}
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


def confine(rules: list[tuple[str, int]], memory_mb: int, cpu_seconds: int, file_mb: int,
            work: str | None = None) -> Isolation:
    """Confine the calling process (a worker, single-threaded) for good, as far as the OS allows;
    `work`: the folder it writes to, handed over to the worker's account where it gets one."""
    missing = [f"no {limit} limit on this OS" for limit in system.set_limits(memory_mb, cpu_seconds, file_mb,
                                                                               OPEN_FILES)]
    if not system.LINUX:
        return Isolation(0, False, (*missing, f"not Linux ({sys.platform}): the student's code runs with the "
                                               "grader's rights, without Landlock or seccomp"))
    own = worker_account(os.getpid()) if os.geteuid() == 0 else None
    keep = (CAP_DAC_READ_SEARCH,) if own is not None else ()
    _drop_bounding_set(keep)
    if own is not None:
        _become(own, work)
    elif os.geteuid() == 0:
        missing.append("no user id of its own (none is mapped here): the student's code keeps root's, and its "
                       "threads are counted by the grader, not bounded by the kernel")
    else:
        system.limit_threads(system.threads_of_user(os.getuid()) + THREADS)
    _keep_capabilities(keep)
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
                       " the student's code can start processes, open sockets, change files' modes and make IPC "
                       "objects")
    return Isolation(abi, installed, tuple(missing))


def worker_account(pid: int) -> int | None:
    """The user and group id of the worker with this pid, where the grader is root: ACCOUNTS + pid
    where this user namespace maps it, else one from the top quarter of its widest mapped range
    (a container with 65,536 ids), away from `nobody`; None where neither is mapped."""
    ranges = []
    for name in ("uid_map", "gid_map"):
        try:
            with open(f"/proc/self/{name}") as mapping:
                ranges.append([tuple(int(n) for n in line.split()) for line in mapping if line.strip()])
        except OSError:
            return None

    def mapped(account: int) -> bool:
        return all(any(start <= account < start + count for start, _, count in found) for found in ranges)

    if mapped(ACCOUNTS + pid):
        return ACCOUNTS + pid
    start, _, count = max(ranges[0], key=lambda r: r[2])
    spread = count // 4
    account = start + count - 3 - pid % spread if spread else -1
    return account if spread and mapped(account) and account != 65534 else None


def _become(account: int, work: str | None) -> None:
    """Switch to the worker's own account (user and group `account`, no supplementary groups),
    keeping the capabilities for `_drop_capabilities` to choose from, and bound its threads."""
    libc = ctypes.CDLL(None, use_errno=True)
    if work is not None:
        os.chown(work, account, account)
    system.limit_threads(1 + THREADS)  # a new account has no other process: the count starts at 1
    libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)
    try:
        os.setgroups([])
    except OSError:
        pass  # a user namespace where setgroups is denied: the groups are those of the namespace
    os.setresgid(account, account, account)
    os.setresuid(account, account, account)
    libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # its /proc files stay its own (a changed uid hands them to root)


def package_folders() -> list[str]:
    """fastquiz's own folders (grader, checks, reference, stubs, model answers): a worker may read only
    the modules of them it is given, file by file. Found without importing them."""
    folders = []
    for name in PACKAGES:
        spec = _find(name)
        if spec and spec.submodule_search_locations:
            folders += [os.path.realpath(p) for p in spec.submodule_search_locations]
    return folders


def _no_new_privileges() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(seccomp.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def _drop_bounding_set(keep: tuple[int, ...]) -> None:
    """Take every capability but those in `keep` out of the bounding set (needs CAP_SETPCAP, so
    before the worker changes its user id), and clear the ambient set."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        if cap not in keep and libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break  # no such capability: the last one was found
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)


def _keep_capabilities(keep: tuple[int, ...]) -> None:
    """Keep only the capabilities in `keep`, effective and permitted (root keeps its user id, or
    gets one of its own, and with it the environment, but loses its power over other users' files
    and processes)."""
    mask = sum(1 << cap for cap in keep)
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)(mask, mask, 0, 0, 0, 0)  # effective, permitted, inheritable (low 32 bits)
    ctypes.CDLL(None, use_errno=True).capset(header, data)


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



LAZY_MODULES = ("cProfile", "pstats", "torch._dynamo", "torch.utils.data", "matplotlib.backends.backend_agg")


def trial(settings: WorkerSettings, protected: list[str], paths: list[str] | None = None) -> Trial:
    """Instructions for a trial worker confined by `settings`: read `paths` (else samples of every
    folder its rules grant, and the modules answers load late), among those this process can read
    (none may be missing there), and try the files of the `protected` folders (none may be read)."""
    if paths is None:
        paths = sample_paths(settings.rules)
        paths += [spec.origin for name in LAZY_MODULES if (spec := _find(name)) and spec.origin]
    return Trial(settings, [p for p in paths if readable(p)], [path for folder in protected for path in _contents(folder)])


def run_trial(config: RunConfig) -> Trial:
    """What a run's sandbox trial tries: a worker's settings, and that the grader's files are out of its reach."""
    return trial(trial_settings(config), package_folders() + list(config.limits.hide))


def trial_settings(config: RunConfig) -> WorkerSettings:
    """A trial worker's settings: the run's rules and limits, in a folder of the run's scratch space."""
    folder = Path(config.scratch) / "trial"
    folder.mkdir(exist_ok=True)
    limits = config.limits
    return WorkerSettings(folder=str(folder), answers={}, loadable=[], rules=config.environment,
                          memory_mb=limits.memory_mb, cpu_seconds=limits.cpu_seconds, file_mb=limits.file_mb)


def probe(instructions: Trial) -> Preflight:
    """In a trial worker: confine this process as a worker is confined, then report."""
    settings = instructions.settings
    isolation = confine(settings.rules + [(settings.folder, READ | WRITE)], settings.memory_mb, settings.cpu_seconds,
                        settings.file_mb, settings.folder)
    return Preflight(isolation.as_dict(), [p for p in instructions.samples if not readable(p)],
                     [p for p in instructions.protected if readable(p)])


def _contents(path: str, most: int = 5) -> list[str]:
    """A protected path's files (what must stay unreadable: a folder's listing may show, as names)."""
    if os.path.isfile(path):
        return [path]
    try:
        return [os.path.join(path, n) for n in sorted(os.listdir(path))[:most] if os.path.isfile(os.path.join(path, n))]
    except OSError:
        return []


def _find(name: str) -> ModuleSpec | None:
    """Where a module is, found as the import system finds it but without importing it or the
    packages above it (importlib.util.find_spec imports those: matplotlib, a tenth of a second)."""
    parts = name.split(".")
    spec, path = None, None
    for depth in range(len(parts)):
        full = ".".join(parts[:depth + 1])
        module = sys.modules.get(full)
        if module is not None:
            spec = getattr(module, "__spec__", None)
        elif depth and path is None:
            return None  # the module above is not a package
        else:
            try:
                spec = next((found for finder in sys.meta_path if hasattr(finder, "find_spec")
                             and (found := finder.find_spec(full, path)) is not None), None)
            except (ImportError, ValueError, AttributeError):
                return None
        if spec is None:
            return None
        path = spec.submodule_search_locations
    return spec


@contextmanager
def spawn_environment(clean: bool) -> Iterator[None]:
    """What a spawned process starts with: thread pools of one thread, and in grade mode the clean
    environment, not the grader's."""
    saved = dict(os.environ)
    if clean:
        os.environ.clear()
        os.environ.update(clean_environment(saved))
    os.environ.update(ONE_THREAD)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
