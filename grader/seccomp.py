"""The worker's seccomp filter: what a Python + torch computation needs, and nothing else.

The filter is an allow-list, built from named groups of system calls (as systemd's
`SystemCallFilter=` groups are). Installed just before a worker first runs a student's code,
it makes the kernel answer every call in one of four ways, never by killing the worker:

- allowed: reading and writing open files, the file system (where Landlock, see `landlock.py`,
  decides which paths), memory, signals to itself, timers, waiting, threads, facts about itself;
- allowed when its arguments say so: `clone` only for a thread (CLONE_THREAD); signals,
  rlimits, scheduling and priority only for the worker itself; `ioctl`, `fcntl` and `prctl`
  only for the requests a program uses on its own descriptors and itself (never a terminal
  injection, a lease, a signal owner or a new filter); `sendto` only without an address;
- faked: changing the mode, owner or times of a file reports success and changes nothing.
  Landlock governs reading and writing, not metadata, and the worker may own the grader's
  files; `shutil.copy2` and `shutil.copy` still work in its folder;
- refused, with the errno a program expects: new processes and programs, privileges,
  namespaces, mounts, IPC objects, other processes' memory (EPERM); sockets (EACCES, the
  worker keeps only the descriptors it was handed); extended attributes (EOPNOTSUPP);
- anything else, including calls newer than this table, fails with ENOSYS, as on a kernel
  that lacks it, so that C libraries fall back to what they know (`clone3` -> `clone`).

A call made through another ABI (i386's `int 0x80`) kills the process: its numbers mean other
calls. The numbers of x86_64 and aarch64 are in `syscalls.py`; elsewhere `install` returns
False and `--isolation strict` refuses to grade.
"""
from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys

from . import syscalls

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
CLONE_THREAD = 0x00010000
RET_ALLOW, RET_KILL_PROCESS, RET_ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
LD_ABS_W, JEQ, JGE, JSET, JA, RET = 0x20, 0x15, 0x35, 0x45, 0x05, 0x06  # BPF opcodes (with BPF_K)
X32_BIT = 0x40000000  # x86_64's x32 ABI: the same calls under other numbers
ARCHES = {"x86_64": (0xC000003E, syscalls.X86_64), "aarch64": (0xC00000B7, syscalls.AARCH64)}  # AUDIT_ARCH_*


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# -- the policy --------------------------------------------------------------------------------
ALLOWED = {  # group -> calls; the first groups are the ones a worker makes most, tried first
    "basic-io": _names("read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2 lseek close "
                       "close_range dup dup2 dup3 pipe pipe2 sendfile copy_file_range splice tee recvfrom"),
    "memory": _names("mmap munmap mprotect mremap brk madvise msync mincore membarrier"),
    "wait": _names("futex futex_waitv futex_wake futex_wait futex_requeue poll ppoll select pselect6 epoll_create "
                   "epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2 eventfd eventfd2 sched_yield"),
    "file-system": _names("open openat openat2 creat stat fstat lstat newfstatat statx access faccessat faccessat2 "
                          "readlink readlinkat getdents getdents64 getcwd chdir fchdir statfs fstatfs fadvise64 "
                          "readahead mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 link linkat "
                          "symlink symlinkat truncate ftruncate fallocate fsync fdatasync sync_file_range flock "
                          "umask"),
    "signal": _names("rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigsuspend rt_sigtimedwait "
                     "sigaltstack restart_syscall pause"),
    "time": _names("clock_gettime clock_getres clock_nanosleep nanosleep gettimeofday time alarm setitimer "
                   "getitimer timer_create timer_settime timer_gettime timer_getoverrun timer_delete timerfd_create "
                   "timerfd_settime timerfd_gettime"),
    "thread": _names("set_tid_address set_robust_list rseq exit exit_group gettid getpid getppid getpgrp "
                     "arch_prctl"),
    "self": _names("getuid geteuid getgid getegid getresuid getresgid getgroups capget uname sysinfo getrusage "
                   "times getrandom sched_getaffinity sched_getparam sched_getscheduler sched_get_priority_max "
                   "sched_get_priority_min sched_getattr getpriority ioprio_get getcpu getrlimit setrlimit wait4 "
                   "waitid"),
}
# Calls allowed only for the worker itself: the first argument names a process (0: itself).
OWN_PROCESS = _names("kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo prlimit64 sched_setaffinity "
                     "sched_setparam sched_setscheduler sched_setattr")
OWN_PROCESS_WHO = {"setpriority": 0, "ioprio_set": 1}  # (which, who): which = one process (this value), who = itself
IOCTLS = {  # the requests a program makes of its own descriptors; any other is ENOTTY ("not a terminal")
    "TCGETS": 0x5401, "TIOCGWINSZ": 0x5413, "FIONREAD": 0x541B, "FIONBIO": 0x5421, "FIONCLEX": 0x5450,
    "FIOCLEX": 0x5451,
}
FCNTLS = {  # no F_SETOWN/F_SETOWN_EX/F_SETSIG (signals to others), F_SETLEASE, F_NOTIFY, F_ADD_SEALS: EINVAL
    "F_DUPFD": 0, "F_GETFD": 1, "F_SETFD": 2, "F_GETFL": 3, "F_SETFL": 4, "F_GETLK": 5, "F_SETLK": 6,
    "F_SETLKW": 7, "F_GETOWN": 9, "F_OFD_GETLK": 36, "F_OFD_SETLK": 37, "F_OFD_SETLKW": 38, "F_DUPFD_CLOEXEC": 1030,
    "F_GETPIPE_SZ": 1032, "F_GET_SEALS": 1034,
}
PRCTLS = {  # what a process asks of prctl about itself; any other option is EINVAL
    "PR_GET_DUMPABLE": 3, "PR_SET_NAME": 15, "PR_GET_NAME": 16, "PR_GET_SECCOMP": 21, "PR_CAPBSET_READ": 23,
    "PR_GET_TIMERSLACK": 30, "PR_GET_NO_NEW_PRIVS": 39, "PR_GET_THP_DISABLE": 42, "PR_SET_VMA": 0x53564D41,
}
FAKED = _names("chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat utime utimes futimesat utimensat")
REFUSED = {  # group -> (errno, calls)
    "processes": (errno.EPERM, _names("fork vfork execve execveat setpgid setsid")),
    "other processes": (errno.EPERM, _names("ptrace process_vm_readv process_vm_writev kcmp pidfd_open pidfd_getfd "
                                            "pidfd_send_signal process_madvise process_mrelease")),
    "privileges": (errno.EPERM, _names("setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid "
                                       "setgroups capset personality seccomp landlock_create_ruleset "
                                       "landlock_add_rule landlock_restrict_self")),
    "mounts and namespaces": (errno.EPERM, _names("unshare setns chroot pivot_root mount umount2 mount_setattr "
                                                  "move_mount open_tree fsopen fsconfig fsmount fspick")),
    "ipc": (errno.EPERM, _names("shmget shmat shmdt shmctl semget semop semctl semtimedop msgget msgsnd msgrcv "
                                "msgctl mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr")),
    "kernel objects": (errno.EPERM, _names("keyctl add_key request_key bpf perf_event_open userfaultfd "
                                           "io_uring_setup io_uring_enter io_uring_register memfd_create "
                                           "memfd_secret open_by_handle_at name_to_handle_at mknod mknodat")),
    "memory placement": (errno.EPERM, _names("migrate_pages move_pages mbind set_mempolicy mlock mlock2 mlockall")),
    "sockets": (errno.EACCES, _names("socket socketpair connect bind listen accept accept4 sendmsg sendmmsg recvmsg "
                                     "recvmmsg shutdown getsockopt setsockopt getsockname getpeername")),
    "extended attributes": (errno.EOPNOTSUPP, _names("setxattr lsetxattr fsetxattr removexattr lremovexattr "
                                                     "fremovexattr getxattr lgetxattr fgetxattr listxattr llistxattr "
                                                     "flistxattr setxattrat getxattrat listxattrat removexattrat")),
}
UNKNOWN = errno.ENOSYS  # every call no group names


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def supported() -> bool:
    return sys.platform.startswith("linux") and platform.machine() in ARCHES


def install() -> bool:
    """Install the filter on the calling thread (and the threads it starts); False where this
    machine's CPU has no table or the kernel refuses. Sets no_new_privs, which seccomp needs."""
    if not supported():
        return False
    program = program_for(platform.machine(), os.getpid())
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    fprog = _SockFprog(len(program) // 8, program)
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


# -- the BPF program ---------------------------------------------------------------------------
class _Assembler:
    """BPF instructions with labels. A conditional jump reaches at most 255 instructions ahead,
    so each comparison is followed by its verdict nearby; `JA` (32-bit offset) goes anywhere."""

    def __init__(self) -> None:
        self.code: list[tuple[int, int | str, int | str, int | str]] = []  # (opcode, jt, jf, k)
        self.labels: dict[str, int] = {}

    def emit(self, op: int, jt: int | str = 0, jf: int | str = 0, k: int | str = 0) -> None:
        self.code.append((op, jt, jf, k))

    def label(self, name: str) -> None:
        self.labels[name] = len(self.code)

    def load(self, offset: int) -> None:
        self.emit(LD_ABS_W, k=offset)

    def ret(self, value: int) -> None:
        self.emit(RET, k=value)

    def bytes(self) -> bytes:
        def target(position: int, where: int | str, limit: int) -> int:
            if isinstance(where, int):
                return where
            jump = self.labels[where] - position - 1
            assert 0 <= jump < limit, f"a BPF jump of {jump} to {where}"
            return jump

        return b"".join(struct.pack("HBBI", op, target(i, jt, 256), target(i, jf, 256),
                                    target(i, k, 1 << 32) & 0xFFFFFFFF if op == JA else int(k) & 0xFFFFFFFF)
                        for i, (op, jt, jf, k) in enumerate(self.code))


NR, ARCH = 0, 4  # offsets in struct seccomp_data


def _arg(index: int, high: bool = False) -> int:
    """The offset of a 64-bit argument's low (or high) half (little-endian)."""
    return 16 + 8 * index + (4 if high else 0)


def program_for(machine: str, pid: int) -> bytes:
    """The filter for a worker whose pid is `pid`, on `machine` (a key of ARCHES)."""
    audit_arch, numbers = ARCHES[machine]
    asm = _Assembler()
    asm.load(ARCH)
    asm.emit(JEQ, 1, 0, audit_arch)
    asm.ret(RET_KILL_PROCESS)  # another ABI: its numbers mean other calls
    asm.load(NR)
    if machine == "x86_64":
        asm.emit(JGE, 0, 1, X32_BIT)
        asm.ret(RET_ERRNO | UNKNOWN)
    verdicts: list[tuple[list[str], str]] = [
        ([n for group in ALLOWED.values() for n in group], "allow"),
        (["clone"], "clone"), (["clone3"], "unknown"), (["ioctl"], "ioctl"), (["fcntl"], "fcntl"),
        (["prctl"], "prctl"), (["sendto"], "sendto"), (list(FAKED), "faked"),
        *(([n], "own_pid_0") for n in OWN_PROCESS),
        *(([name], f"who_{which}") for name, which in OWN_PROCESS_WHO.items()),
        *((list(calls), f"errno_{code}") for code, calls in REFUSED.values()),
    ]
    for block, (names, target) in enumerate(verdicts):
        present = [numbers[n] for n in names if n in numbers]
        for start in range(0, len(present), 200):  # each comparison jumps at most 200 ahead, to its verdict
            chunk = present[start:start + 200]
            for number in chunk:
                asm.emit(JEQ, f"match_{block}_{start}", 0, number)
            asm.emit(JA, k=f"next_{block}_{start}")
            asm.label(f"match_{block}_{start}")
            asm.emit(JA, k=target)
            asm.label(f"next_{block}_{start}")
    asm.ret(RET_ERRNO | UNKNOWN)

    def verdict(name: str, value: int) -> None:
        asm.label(name)
        asm.ret(value)

    def one_of(name: str, offset: int, allowed: dict[str, int], refusal: int) -> None:
        asm.label(name)
        asm.load(offset)
        for value in allowed.values():
            asm.emit(JEQ, "allow", 0, value)
        asm.ret(RET_ERRNO | refusal)

    def own_pid(arg: int) -> None:
        """Allow when 64-bit argument `arg` is 0 (the caller) or this worker's pid."""
        asm.load(_arg(arg, high=True))
        asm.emit(JEQ, 0, "eperm", 0)
        asm.load(_arg(arg))
        asm.emit(JEQ, "allow", 0, 0)
        asm.emit(JEQ, "allow", "eperm", pid)

    asm.label("clone")
    asm.load(_arg(0))  # the low half of clone's flags
    asm.emit(JSET, "allow", "eperm", CLONE_THREAD)
    one_of("ioctl", _arg(1), IOCTLS, errno.ENOTTY)
    one_of("fcntl", _arg(1), FCNTLS, errno.EINVAL)
    one_of("prctl", _arg(0), PRCTLS, errno.EINVAL)
    asm.label("sendto")  # its fifth argument, the address: NULL only
    asm.load(_arg(4, high=True))
    asm.emit(JEQ, 0, "eacces", 0)
    asm.load(_arg(4))
    asm.emit(JEQ, "allow", "eacces", 0)
    asm.label("own_pid_0")
    own_pid(0)
    for which in set(OWN_PROCESS_WHO.values()):
        asm.label(f"who_{which}")
        asm.load(_arg(0))
        asm.emit(JEQ, 0, "eperm", which)
        own_pid(1)
    verdict("allow", RET_ALLOW)  # the verdicts last: every jump goes forward
    verdict("faked", RET_ERRNO | 0)  # errno 0: the call returns 0, having done nothing
    for code in sorted({code for code, _ in REFUSED.values()} | {errno.EPERM, errno.EACCES}):
        verdict(f"errno_{code}", RET_ERRNO | code)
    asm.labels["eperm"], asm.labels["eacces"] = asm.labels[f"errno_{errno.EPERM}"], asm.labels[f"errno_{errno.EACCES}"]
    verdict("unknown", RET_ERRNO | UNKNOWN)
    return asm.bytes()
