"""The operating system, as the grader needs it: the one place for what differs between platforms.

Everything the grader asks of the OS that is not plain, portable Python goes through here:
how processes start (fork or spawn), another process's CPU time and memory (/proc), prctl,
resource limits, inherited descriptors, process groups, killing. The rest of the grader
reads the same on Linux, macOS and Windows; a test stands in for another OS by hiding what
that OS lacks (`os.fork`, the `resource` module) before fastquiz is imported.

What each OS gives a worker (see `set_limits` and `sandbox.confine`):

| | Linux | macOS | Windows |
| --- | --- | --- | --- |
| processes | forked from a warm origin | spawned, kept warm | spawned, kept warm |
| CPU time limit per question | its own CPU time (/proc) | wall clock, RLIMIT_CPU | wall clock |
| memory limit | RLIMIT_AS | none (not enforced there) | none |
| file size limit | RLIMIT_FSIZE | RLIMIT_FSIZE | none |
| isolation (grade mode) | Landlock, seccomp | none | none |
"""
from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

LINUX = sys.platform.startswith("linux")
MACOS = sys.platform == "darwin"
WORKERS_VARIABLE = "FASTQUIZ_WORKERS"  # "fork" or "spawn": how grading starts its processes
PR_SET_PDEATHSIG, PR_SET_NAME = 1, 15
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def user_cache() -> Path:
    """Where fastquiz keeps what it can rebuild, for this user: $XDG_CACHE_HOME/fastquiz, else ~/.cache/fastquiz."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")).expanduser() / "fastquiz"


def start_method() -> str:
    """How grading starts its processes: "fork" (from warm processes, Linux) or "spawn" (fresh
    interpreters kept warm): where os.fork is missing (Windows), unsafe once torch is loaded
    (macOS), or asked for with FASTQUIZ_WORKERS=spawn."""
    asked = os.environ.get(WORKERS_VARIABLE, "").strip().lower()
    if asked not in ("", "fork", "spawn"):
        raise ValueError(f"{WORKERS_VARIABLE}={asked!r}: use fork or spawn")
    if asked == "fork" and not hasattr(os, "fork"):
        raise ValueError(f"{WORKERS_VARIABLE}=fork: this platform can't fork; use spawn")
    if asked == "spawn" or not hasattr(os, "fork") or (MACOS and asked != "fork"):
        return "spawn"
    return "fork"


def own_cpu_seconds() -> float:
    """The CPU time this process has used, all its threads, exact to the moment. (Where a CPU limit is
    set, as in a worker, `time.process_time` reads a total the kernel brings up to date only now and
    then: an interval read with it takes in time spent before it began.)"""
    if resource is None:  # Windows: no CPU limits there, and process_time is exact
        return time.process_time()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system) a running process has used; None where that can't be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, ValueError, IndexError):
        return None


def threads(pid: int) -> int | None:
    """How many threads a running process has; None where that can't be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[17])
    except (OSError, ValueError, IndexError):
        return None


def threads_of_user(uid: int) -> int:
    """How many threads the processes of user `uid` have now, as RLIMIT_NPROC counts them (Linux)."""
    total = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    total += threads(int(entry.name)) or 0
            except OSError:
                pass  # it ended meanwhile
    return total


def limit_threads(most: int) -> None:
    """Let this process's user have at most `most` threads in all (RLIMIT_NPROC; it never binds root)."""
    if resource is not None and hasattr(resource, "RLIMIT_NPROC"):
        resource.setrlimit(resource.RLIMIT_NPROC, (most, most))


def resident_bytes(pid: int) -> int | None:
    """A process's resident memory; None where that can't be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def address_space() -> int:
    """This process's virtual memory size (0 where it can't be read)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * _PAGE
    except OSError:
        return 0


def set_limits(memory_mb: int, cpu_seconds: int, file_mb: int, open_files: int) -> tuple[str, ...]:
    """Limit this process's memory (on top of what it has now), CPU time, file size and open
    files, and turn core dumps off, as far as the OS allows; the limits it could not set."""
    if resource is None:
        return ("memory", "CPU time", "file size")
    missing = []
    if LINUX:
        resource.setrlimit(resource.RLIMIT_AS, (address_space() + memory_mb * 2**20,) * 2)
    else:
        missing.append("memory")  # macOS accepts RLIMIT_AS but does not enforce it
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, open_files), min(hard, open_files)))
    return tuple(missing)


def ignore_file_size_signal() -> None:
    """An oversized write then fails with EFBIG instead of killing the process."""
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def name_process(name: str) -> None:
    """Name this process as `ps` and /proc/PID/comm show it (Linux; at most 15 characters), so that
    the grader's processes can be told apart from the outside."""
    if LINUX:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)


def die_with_parent() -> None:
    """Be killed when the parent process ends (Linux), so that no worker outlives its origin."""
    if LINUX:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def new_process_group() -> None:
    """Lead a process group of its own (POSIX), so that `kill` reaches what it started."""
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)


def close_fds_except(keep: set[int]) -> None:
    """Close every inherited descriptor above stderr that is not in `keep` (POSIX)."""
    if os.name == "nt":
        return
    try:
        open_fds = sorted(int(n) for n in os.listdir("/proc/self/fd") if n.isdigit())
    except OSError:
        open_fds = list(range(3, 1024))
    for fd in open_fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def kill(pid: int) -> None:
    """Kill a process (and, where it leads one, its process group); gone already is fine."""
    if hasattr(os, "killpg"):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))  # Windows: SIGTERM terminates
    except OSError:
        pass


def out_of_cpu(exit_code: int) -> bool:
    """Whether a process with this exit code (negative: the signal) was stopped by its CPU rlimit."""
    return hasattr(signal, "SIGXCPU") and exit_code == -signal.SIGXCPU


def exit_reason(exit_code: int) -> str:
    """'killed by SIGKILL' or 'exit status 3', from an exit code (negative: the signal's number)."""
    if exit_code < 0:
        try:
            return f"killed by {signal.Signals(-exit_code).name}"
        except ValueError:
            return f"killed by signal {-exit_code}"
    return f"exit status {exit_code}"


@contextmanager
def quick_imports() -> Iterator[None]:
    """Import the heavy libraries (torch, pytest, hypothesis, matplotlib) with the cyclic garbage
    collector off: they make hundreds of thousands of objects, all kept, which every full collection
    would walk again (with it off, a task's imports take a third less time). What they made is then
    frozen (`gc.freeze`): it lives as long as the process, so later collections leave it out."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def without_main() -> Iterator[None]:
    """multiprocessing's spawn runs the caller's main script again in the new process, to find
    what it defines (a student's script without `if __name__ == "__main__":` would run twice, and
    a worker's memory would hold it): hide the script while the process starts."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, Any] = {name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)
