"""Landlock, Linux's unprivileged access control (kernel 5.13 and later), through ctypes.

A process builds a ruleset that names the kinds of access it wants to control, adds a rule
per file or folder it still wants to reach (a folder's rule covers everything beneath it),
then restricts itself: from then on the kernel refuses every controlled access that no rule
allows, to it and to everything it starts, whatever its user id. Later ABI versions control
more: 2 renaming across folders, 3 truncating, 4 TCP bind and connect, 5 device ioctls,
6 signals and abstract Unix sockets aimed outside the sandbox. `Ruleset` handles what the
running kernel knows and ignores the rest.
"""
from __future__ import annotations

import ctypes
import os
import struct
import sys
from typing import Any

CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446  # the same on every architecture
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR, MAKE_REG = 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8
MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # what a rule on a file (not a folder) may grant
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2

READ = READ_FILE | READ_DIR
WRITE = WRITE_FILE | MAKE_REG | REMOVE_FILE | TRUNCATE

_libc: Any = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
if _libc is not None:
    _libc.syscall.restype = ctypes.c_long


def abi_version() -> int:
    """The kernel's Landlock ABI version; 0 where Landlock is missing or disabled (or not Linux)."""
    if _libc is None:
        return 0
    version = _libc.syscall(CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(0, int(version))


class Ruleset:
    """Rules being gathered; `restrict_self` enforces them on the calling thread (a worker is
    single-threaded when it does)."""

    def __init__(self, abi: int):
        self.abi = abi
        self.handled = FS_BY_ABI[max(v for v in FS_BY_ABI if v <= abi)]
        attr = struct.pack("QQQ", self.handled, NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0,
                           SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
        size = 24 if abi >= 6 else 16 if abi >= 4 else 8
        self.fd = _libc.syscall(CREATE_RULESET, ctypes.c_char_p(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), f"landlock_create_ruleset: {os.strerror(ctypes.get_errno())}")

    def allow(self, path: str, access: int) -> bool:
        """Allow `access` to `path` and (a folder) everything beneath it; False when the path can't
        be opened (it does not exist, or this process can't reach it)."""
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            if not os.path.isdir(path):
                access &= FILE_ONLY
            attr = struct.pack("=Qi", access & self.handled, fd)
            if _libc.syscall(ADD_RULE, ctypes.c_int(self.fd), ctypes.c_int(RULE_PATH_BENEATH), ctypes.c_char_p(attr),
                             ctypes.c_uint32(0)) != 0:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}: {os.strerror(ctypes.get_errno())}")
        finally:
            os.close(fd)
        return True

    def restrict_self(self) -> None:
        """Enforce the rules (no_new_privs must be set first, see `seccomp.install`)."""
        try:
            if _libc.syscall(RESTRICT_SELF, ctypes.c_int(self.fd), ctypes.c_uint32(0)) != 0:
                raise OSError(ctypes.get_errno(), f"landlock_restrict_self: {os.strerror(ctypes.get_errno())}")
        finally:
            os.close(self.fd)
