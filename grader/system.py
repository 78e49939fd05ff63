"""The operating system, as the grader needs it: one place for what differs between platforms.

Everything the grader asks of the OS that is not plain, portable Python goes through here:
forking, reading another process's CPU time and memory from /proc, prctl, closing inherited
descriptors, killing. The rest of the grader reads the same on every platform.
"""
from __future__ import annotations

import ctypes
import os
import signal

HAS_FORK = hasattr(os, "fork")
PR_SET_PDEATHSIG = 1
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system) a running process has used; None when it can't be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, ValueError, IndexError):
        return None


def resident_bytes(pid: int) -> int | None:
    """A process's resident memory; None when it can't be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def die_with_parent() -> None:
    """Be killed when the parent process ends (Linux), so that no worker outlives its origin."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def close_fds_except(keep: set[int]) -> None:
    """Close every inherited descriptor above stderr that is not in `keep`."""
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
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError, OSError):
            pass


def exit_reason(wait_status: int) -> str:
    """'killed by SIGKILL' or 'exit status 3'."""
    if os.WIFSIGNALED(wait_status):
        return f"killed by {signal.Signals(os.WTERMSIG(wait_status)).name}"
    return f"exit status {os.WEXITSTATUS(wait_status)}"
