"""The worker's seccomp filter, tested a call at a time.

Two ways: the BPF program for each CPU the filter knows (x86_64 and aarch64) is run by a small
interpreter here, on the arguments of each call, so both tables are tested on any machine; and on
this machine's CPU the filter is installed in a forked child that then makes the calls for real.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import platform
import re
import shutil
import struct
import sys
from pathlib import Path

import pytest

from fastquiz.grader import seccomp, syscalls

ALLOW, KILL = "allow", "kill"
PID = 4242
SIGCHLD = 17
CLONE_THREAD_FLAGS = 0x3D0F00  # what glibc's pthread_create passes (CLONE_VM|CLONE_FS|...|CLONE_THREAD|...)
TIOCSTI, FS_IOC_SETFLAGS, F_SETOWN, F_SETSIG, PR_SET_PDEATHSIG = 0x5412, 0x40086602, 8, 10, 1


def verdict(machine: str, call: str | int, *args: int, arch: int | None = None) -> str | int:
    """What the filter for `machine` answers a call: ALLOW, KILL, or the errno it returns."""
    audit_arch, numbers = seccomp.ARCHES[machine]
    number = numbers[call] if isinstance(call, str) else call
    data = struct.pack("<iI", number, audit_arch if arch is None else arch) + b"\0" * 8
    data += b"".join(struct.pack("<Q", a & (2**64 - 1)) for a in (*args, *[0] * (6 - len(args))))
    return _run(seccomp.program_for(machine, PID), data)


def _run(program: bytes, data: bytes) -> str | int:
    """A classic BPF interpreter for the opcodes the filter uses."""
    code = [struct.unpack("HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    pc, accumulator = 0, 0
    while True:
        op, jt, jf, k = code[pc]
        if op == seccomp.LD_ABS_W:
            (accumulator,) = struct.unpack("<I", data[k:k + 4])
        elif op == seccomp.RET:
            action = k & 0xFFFF0000
            if action == seccomp.RET_ALLOW:
                return ALLOW
            if action == seccomp.RET_ERRNO:
                return k & 0xFFFF
            assert k == seccomp.RET_KILL_PROCESS, hex(k)
            return KILL
        elif op == seccomp.JA:
            pc += k
        else:
            taken = {seccomp.JEQ: accumulator == k, seccomp.JGE: accumulator >= k,
                     seccomp.JSET: bool(accumulator & k)}[op]
            pc += jt if taken else jf
        pc += 1


MACHINES = pytest.mark.parametrize("machine", sorted(seccomp.ARCHES))


@MACHINES
def test_a_python_computation_s_calls_are_allowed(machine):
    for name in ("read", "write", "openat", "newfstatat", "mmap", "munmap", "mremap", "brk", "madvise", "futex",
                 "rt_sigreturn", "rt_sigaction", "getrandom", "clock_nanosleep", "sendfile", "getdents64",
                 "unlinkat", "mkdirat", "renameat2", "sched_getaffinity", "exit_group", "rseq", "set_robust_list"):
        assert verdict(machine, name) == ALLOW, name


@MACHINES
def test_only_threads_are_created(machine):
    assert verdict(machine, "clone", CLONE_THREAD_FLAGS) == ALLOW
    assert verdict(machine, "clone", SIGCHLD) == errno.EPERM  # fork(), as glibc makes it
    assert verdict(machine, "clone", 0x4111) == errno.EPERM  # vfork(): CLONE_VM | CLONE_VFORK | SIGCHLD
    assert verdict(machine, "clone3") == errno.ENOSYS  # so that glibc falls back to clone, for threads
    for name in ("execve", "execveat", "setsid", "setpgid"):
        assert verdict(machine, name) == errno.EPERM, name
    if machine == "x86_64":
        assert verdict(machine, "fork") == verdict(machine, "vfork") == errno.EPERM


@MACHINES
def test_signals_limits_and_scheduling_reach_only_the_worker_itself(machine):
    for name in ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "prlimit64", "sched_setaffinity", "sched_setattr"):
        assert verdict(machine, name, PID) == verdict(machine, name, 0) == ALLOW, name
        for other in (1, PID + 1, -1, PID + (1 << 32)):
            assert verdict(machine, name, other) == errno.EPERM, (name, other)
    for name, which in seccomp.OWN_PROCESS_WHO.items():
        assert verdict(machine, name, which, 0) == verdict(machine, name, which, PID) == ALLOW
        assert verdict(machine, name, which, PID + 1) == verdict(machine, name, which + 1, PID) == errno.EPERM


@MACHINES
def test_metadata_changes_report_success_and_do_nothing(machine):
    for name in seccomp.FAKED:
        if name in seccomp.ARCHES[machine][1]:
            assert verdict(machine, name) == 0, name  # RET_ERRNO with errno 0: the call returns 0
    for name in ("setxattr", "fsetxattr", "removexattr", "listxattr", "setxattrat"):
        assert verdict(machine, name) == errno.EOPNOTSUPP, name


@MACHINES
def test_no_socket_is_made_or_addressed(machine):
    for name in ("socket", "socketpair", "connect", "bind", "listen", "accept4", "sendmsg", "sendmmsg", "recvmsg"):
        assert verdict(machine, name) == errno.EACCES, name
    assert verdict(machine, "sendto", 3, 0, 0, 0, 0) == ALLOW  # send() on a descriptor it was handed
    assert verdict(machine, "sendto", 3, 0, 0, 0, 0x7FFF0000) == errno.EACCES  # with an address
    assert verdict(machine, "sendto", 3, 0, 0, 0, 1 << 40) == errno.EACCES


@MACHINES
def test_ioctl_fcntl_and_prctl_only_for_what_a_program_asks_of_itself(machine):
    assert verdict(machine, "ioctl", 0, 0x541B) == verdict(machine, "ioctl", 0, 0x5401) == ALLOW  # FIONREAD, TCGETS
    assert verdict(machine, "ioctl", 0, TIOCSTI) == errno.ENOTTY  # typing into a terminal
    assert verdict(machine, "ioctl", 0, FS_IOC_SETFLAGS) == errno.ENOTTY  # chattr +i
    assert verdict(machine, "fcntl", 0, 4) == ALLOW  # F_SETFL
    assert verdict(machine, "fcntl", 0, F_SETOWN) == verdict(machine, "fcntl", 0, F_SETSIG) == errno.EINVAL
    assert verdict(machine, "prctl", 15) == ALLOW  # PR_SET_NAME
    for option in (PR_SET_PDEATHSIG, seccomp.PR_SET_SECCOMP, 4, 0x59616D61):  # ..., PR_SET_DUMPABLE, PR_SET_PTRACER
        assert verdict(machine, "prctl", option) == errno.EINVAL, option


@MACHINES
def test_every_refused_family_is_refused_with_its_errno(machine):
    numbers = seccomp.ARCHES[machine][1]
    for group, (code, names) in seccomp.REFUSED.items():
        for name in names:
            if name in numbers:
                assert verdict(machine, name) == code, (group, name)


@MACHINES
def test_calls_it_does_not_know_fail_as_missing(machine):
    numbers = seccomp.ARCHES[machine][1]
    known = set(numbers.values())
    for number in (462, 467, 468, 469, 470, 500, 1000):  # mseal, open_tree_attr, file_getattr/setattr, future
        if number not in known or number in (numbers["file_getattr"], numbers["file_setattr"]):
            assert verdict(machine, number) == errno.ENOSYS, number
    for name in ("reboot", "init_module", "kexec_load", "swapon", "acct", "settimeofday", "syslog", "quotactl"):
        if name in numbers:
            assert verdict(machine, name) == errno.ENOSYS, name
    if machine == "x86_64":
        assert verdict(machine, numbers["socket"] | seccomp.X32_BIT) == errno.ENOSYS  # the x32 ABI


@MACHINES
def test_another_abi_is_killed(machine):
    assert verdict(machine, "read", arch=0x40000003) == KILL  # i386


def test_the_tables_match_the_kernel_headers():
    x86 = Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")
    generic = Path("/usr/include/asm-generic/unistd.h")
    if not x86.is_file() or not generic.is_file():
        pytest.skip("the kernel headers are not installed (linux-libc-dev)")
    headers = {m.group(1): int(m.group(2)) for m in re.finditer(r"#define __NR_(\w+) (\d+)", x86.read_text())}
    checked = [name for name in syscalls.X86_64 if name in headers]
    assert len(checked) > 250
    assert all(syscalls.X86_64[name] == headers[name] for name in checked)
    found = {m.group(2): int(m.group(3)) for m in re.finditer(r"#define __NR(3264)?_(\w+) (\d+)", generic.read_text())}
    found["newfstatat"] = found.pop("fstatat")
    checked = [name for name in syscalls.AARCH64 if name in found]
    assert len(checked) > 220
    assert {name: syscalls.AARCH64[name] for name in checked} == {name: found[name] for name in checked}


# -- on this machine, for real ------------------------------------------------------------------
native = pytest.mark.skipif(not seccomp.supported(), reason=f"no seccomp table for {platform.machine()} here")
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def call(name: str, *args) -> tuple[int, int]:
    """A raw system call: its result, and errno (0 when it succeeded)."""
    ctypes.set_errno(0)
    result = libc.syscall(ctypes.c_long(seccomp.ARCHES[platform.machine()][1][name]), *args)
    return result, (ctypes.get_errno() if result == -1 else 0)


def filtered(body) -> dict:
    """Run `body()` in a forked child under the filter; what it returned (a JSON-able dict)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            assert seccomp.install()
            os.write(write_end, json.dumps(body()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    assert data, "the filtered child wrote nothing"
    return json.loads(data)


@native
def test_for_real_metadata_outside_is_unchanged_and_copy2_still_works(tmp_path):
    target = tmp_path / "grader-file"
    target.write_text("keep")
    target.chmod(0o600)
    os.utime(target, (1000, 1000))
    before = target.stat()

    def body() -> dict:
        chmod = call("fchmodat", -100, str(target).encode(), 0o4777, 0)
        times = call("utimensat", -100, str(target).encode(), None, 0)
        fd = os.open(target, os.O_RDONLY)
        fchmod, fchown = call("fchmod", fd, 0o777), call("fchown", fd, 65534, 65534)
        copied = tmp_path / "copy"
        shutil.copy2(target, copied)
        shutil.copy(target, tmp_path / "copy2")
        return {"chmod": chmod, "times": times, "fchmod": fchmod, "fchown": fchown, "copied": copied.read_text(),
                "xattr": call("setxattr", str(target).encode(), b"user.x", b"1", 1, 0)[1]}

    seen = filtered(body)
    assert seen["chmod"] == seen["times"] == seen["fchmod"] == seen["fchown"] == [0, 0]
    assert seen["copied"] == "keep" and seen["xattr"] == errno.EOPNOTSUPP
    after = target.stat()
    assert (after.st_mode, after.st_uid, after.st_mtime_ns) == (before.st_mode, before.st_uid, before.st_mtime_ns)


@native
def test_for_real_no_process_socket_or_ipc_object_but_threads_work():
    parent = os.getpid()

    def body() -> dict:
        import threading

        found = {"fork": call("clone", SIGCHLD, 0, 0, 0, 0)[1], "socket": call("socket", 1, 1, 0)[1],
                 "socketpair": call("socketpair", 1, 1, 0, (ctypes.c_int * 2)())[1],
                 "shmget": call("shmget", 0, 4096, 0o1600)[1], "memfd": call("memfd_create", b"x", 0)[1],
                 "kill_parent": call("kill", parent, 0)[1], "kill_self": call("kill", os.getpid(), 0)[1],
                 "unshare": call("unshare", 0x10000000)[1], "clone3": call("clone3", None, 0)[1],
                 "seccomp": call("seccomp", 1, 0, None)[1]}
        try:
            os.fork()
        except OSError as error:
            found["os.fork"] = error.errno
        results = []
        thread = threading.Thread(target=lambda: results.append(sum(range(1000))))
        thread.start()
        thread.join()
        found["thread"] = results
        return found

    seen = filtered(body)
    assert seen == {"fork": errno.EPERM, "socket": errno.EACCES, "socketpair": errno.EACCES, "shmget": errno.EPERM,
                    "memfd": errno.EPERM, "kill_parent": errno.EPERM, "kill_self": 0, "unshare": errno.EPERM,
                    "clone3": errno.ENOSYS, "seccomp": errno.EPERM, "os.fork": errno.EPERM, "thread": [499500]}


@native
def test_for_real_torch_and_numpy_compute_under_the_filter(tmp_path):
    def body() -> dict:
        import numpy as np
        import torch

        x = torch.randn(256, 256)
        grown = bytearray(1 << 20)
        grown.extend(bytearray(64 << 20))  # a big realloc: mremap
        np.save(tmp_path / "a.npy", np.arange(10))
        return {"matmul": float((x @ x.T).trace() > 0), "numpy": int(np.load(tmp_path / "a.npy").sum()),
                "grown": len(grown), "listdir": sorted(os.listdir(tmp_path)), "python": sys.version_info[0]}

    assert filtered(body) == {"matmul": 1.0, "numpy": 45, "grown": 65 << 20, "listdir": ["a.npy"], "python": 3}
