"""A seccomp filter for the worker: no new processes, sockets, IPC objects or reach into others.

A worker runs one student's code. The filter, installed just before that code first runs,
makes the kernel refuse (with an errno, never a kill) the system calls an answer never
needs and an attack would:

- new processes: `fork`, `vfork`, `clone` without CLONE_THREAD (threads stay allowed), `clone3`
  (ENOSYS, so that glibc falls back to `clone` for threads), `execve`. The worker is then one
  process, so its rlimits (memory, CPU time) bound the whole answer, and nothing outlives it;
- sockets (`socket`; `socketpair` stays), SysV and POSIX IPC objects, memfds, io_uring, bpf,
  keys, mounts and namespaces, ptrace and the other ways into another process's memory;
- calls aimed at another process (signals, rlimits, scheduling, priority): allowed only for
  the worker itself (pid 0 or its own), because the worker keeps the grader's user id.

The tables hold the numbers of x86_64 and aarch64 (`tests/test_sandbox.py` checks them
against the kernel headers where those are installed); elsewhere `install` returns False.
"""
from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
CLONE_THREAD = 0x00010000
RET_ALLOW, RET_KILL_PROCESS, RET_ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
LD_ABS_W, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06  # BPF opcodes (with BPF_K)
X32_BIT = 0x40000000  # x86_64's x32 ABI: same calls under other numbers

DENIED = (
    "fork vfork execve execveat socket ptrace process_vm_readv process_vm_writev kcmp pidfd_open pidfd_getfd "
    "pidfd_send_signal process_madvise process_mrelease shmget shmat shmctl semget semop semctl semtimedop "
    "msgget msgsnd msgrcv msgctl mq_open mq_unlink unshare setns mount umount2 pivot_root chroot mount_setattr "
    "move_mount open_tree fsopen fsconfig fsmount fspick keyctl add_key request_key bpf perf_event_open "
    "userfaultfd io_uring_setup io_uring_enter io_uring_register memfd_create memfd_secret open_by_handle_at "
    "name_to_handle_at migrate_pages move_pages capset"
).split()
OWN_PID_FIRST = "kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo prlimit64 sched_setaffinity sched_setparam " \
                "sched_setscheduler sched_setattr".split()  # the first argument names a process
OWN_PID_SECOND = ["setpriority", "ioprio_set"]  # (which, who): only which = one process, who = itself

ARCHES = {  # machine -> (AUDIT_ARCH_*, {name: number}, which value of `which` means "one process")
    "x86_64": (0xC000003E, {
        "socket": 41, "fork": 57, "vfork": 58, "clone": 56, "clone3": 435, "execve": 59, "execveat": 322,
        "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "pidfd_open": 434,
        "pidfd_getfd": 438, "pidfd_send_signal": 424, "process_madvise": 440, "process_mrelease": 448,
        "shmget": 29, "shmat": 30, "shmctl": 31, "semget": 64, "semop": 65, "semctl": 66, "semtimedop": 220,
        "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "mq_open": 240, "mq_unlink": 241, "unshare": 272,
        "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "mount_setattr": 442,
        "move_mount": 429, "open_tree": 428, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "keyctl": 250, "add_key": 248, "request_key": 249, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "memfd_create": 319,
        "memfd_secret": 447, "open_by_handle_at": 304, "name_to_handle_at": 303, "migrate_pages": 256,
        "move_pages": 279, "capset": 126, "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129,
        "rt_tgsigqueueinfo": 297, "prlimit64": 302, "sched_setaffinity": 203, "sched_setparam": 142,
        "sched_setscheduler": 144, "sched_setattr": 314, "setpriority": 141, "ioprio_set": 251,
    }),
    "aarch64": (0xC00000B7, {
        "socket": 198, "clone": 220, "clone3": 435, "execve": 221, "execveat": 281, "ptrace": 117,
        "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272, "pidfd_open": 434, "pidfd_getfd": 438,
        "pidfd_send_signal": 424, "process_madvise": 440, "process_mrelease": 448, "shmget": 194, "shmat": 196,
        "shmctl": 195, "semget": 190, "semop": 193, "semctl": 191, "semtimedop": 192, "msgget": 186, "msgsnd": 189,
        "msgrcv": 188, "msgctl": 187, "mq_open": 180, "mq_unlink": 181, "unshare": 97, "setns": 268, "mount": 40,
        "umount2": 39, "pivot_root": 41, "chroot": 51, "mount_setattr": 442, "move_mount": 429, "open_tree": 428,
        "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "keyctl": 219, "add_key": 217,
        "request_key": 218, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "memfd_create": 279, "memfd_secret": 447,
        "open_by_handle_at": 265, "name_to_handle_at": 264, "migrate_pages": 238, "move_pages": 239, "capset": 91,
        "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "prlimit64": 261,
        "sched_setaffinity": 122, "sched_setparam": 118, "sched_setscheduler": 119, "sched_setattr": 274,
        "setpriority": 140, "ioprio_set": 30,
    }),
}
PRIO_PROCESS, IOPRIO_WHO_PROCESS = 0, 1


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def supported() -> bool:
    return sys.platform.startswith("linux") and platform.machine() in ARCHES


def install() -> bool:
    """Install the filter on the calling thread (and what it starts); False where this machine's
    architecture has no table or the kernel refuses. Sets no_new_privs, which seccomp needs."""
    if not supported():
        return False
    program = _program(os.getpid())
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    fprog = _SockFprog(len(program) // 8, program)
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


def _program(pid: int) -> bytes:
    """The BPF program, assembled with labels: every jump goes forward to one of the verdicts or
    argument checks at its end."""
    audit_arch, numbers = ARCHES[platform.machine()]
    code: list[tuple[int, int | str, int | str, int]] = []  # (opcode, jump if true, jump if false, k)

    def load(offset: int) -> None:
        code.append((LD_ABS_W, 0, 0, offset))

    load(4)  # seccomp_data.arch
    code.append((JEQ, 0, "kill", audit_arch))
    load(0)  # seccomp_data.nr
    if platform.machine() == "x86_64":
        code.append((JGE, "eperm", 0, X32_BIT))
    for name in DENIED:
        if name in numbers:
            code.append((JEQ, "eacces" if name == "socket" else "eperm", 0, numbers[name]))
    code.append((JEQ, "enosys", 0, numbers["clone3"]))
    code.append((JEQ, "clone", 0, numbers["clone"]))
    for name in OWN_PID_FIRST:
        code.append((JEQ, "pid_arg0", 0, numbers[name]))
    code.append((JEQ, "setpriority", 0, numbers["setpriority"]))
    code.append((JEQ, "ioprio_set", 0, numbers["ioprio_set"]))
    labels: dict[str, int] = {}

    def at(label: str) -> None:
        labels[label] = len(code)

    def ret(value: int) -> None:
        code.append((RET, 0, 0, value))

    def own_pid(arg: int) -> None:
        """Allow when 64-bit argument `arg` is 0 or this process's pid."""
        load(16 + 8 * arg + 4)  # high half (little-endian)
        code.append((JEQ, 0, "eperm", 0))
        load(16 + 8 * arg)
        code.append((JEQ, "allow", 0, 0))
        code.append((JEQ, "allow", "eperm", pid))

    ret(RET_ALLOW)
    at("clone")
    load(16)  # the low half of clone's flags
    code.append((JSET, "allow", "eperm", CLONE_THREAD))
    at("pid_arg0")
    own_pid(0)
    for label, which in (("setpriority", PRIO_PROCESS), ("ioprio_set", IOPRIO_WHO_PROCESS)):
        at(label)
        load(16)
        code.append((JEQ, 0, "eperm", which))
        own_pid(1)
    at("allow")
    ret(RET_ALLOW)
    for label, value in (("eperm", RET_ERRNO | errno.EPERM), ("eacces", RET_ERRNO | errno.EACCES),
                         ("enosys", RET_ERRNO | errno.ENOSYS), ("kill", RET_KILL_PROCESS)):
        at(label)
        ret(value)

    def offset(position: int, target: int | str) -> int:
        if isinstance(target, int):
            return target
        jump = labels[target] - position - 1
        assert 0 <= jump < 256, f"a BPF jump of {jump}"
        return jump

    return b"".join(struct.pack("HBBI", op, offset(i, jt), offset(i, jf), k & 0xFFFFFFFF)
                    for i, (op, jt, jf, k) in enumerate(code))
