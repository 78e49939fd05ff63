"""Folders that a student's code filled: measured and removed without trusting their shape.

A worker may make any tree in its work folder: thousands of folders, nested thousands deep
(deeper than a path can name, deeper than Python's recursion), some made unreadable. Both
walks here are loops over directory descriptors, never recursive and never by full path:

- `usage` counts what a running worker has made, stopping as soon as it is past a cap;
- `remove` deletes a tree once nothing writes to it any more, and never raises: what it can't
  delete it leaves, and the caller goes on.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass

DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True)
class Usage:
    entries: int  # files, folders and links beneath the folder
    bytes: int  # the disk space they take (their blocks, folders' included)
    depth: int  # how deeply folders nest beneath it (counted up to the cap)


def usage(path: str, most_entries: int, most_depth: int) -> Usage:
    """What the tree at `path` holds, counted until it is past `most_entries` entries or
    `most_depth` levels (then the counts are past the cap, not complete). Entries that vanish
    or can't be opened while it counts are passed over."""
    try:
        top = os.open(path, DIRECTORY)
    except OSError:
        return Usage(0, 0, 0)
    entries = size = depth = 0
    stack = [top]  # one descriptor per level being read: at most most_depth + 1
    pending: list[list[str]] = [_names(top)]
    try:
        while stack:
            if not pending[-1]:
                os.close(stack.pop())
                pending.pop()
                continue
            name = pending[-1].pop()
            try:
                info = os.stat(name, dir_fd=stack[-1], follow_symlinks=False)
            except OSError:
                continue
            entries += 1
            size += info.st_blocks * 512
            if entries > most_entries:
                break
            if stat.S_ISDIR(info.st_mode):
                depth = max(depth, len(stack))
                if depth > most_depth:
                    break
                try:
                    child = os.open(name, DIRECTORY, dir_fd=stack[-1])
                except OSError:
                    continue
                stack.append(child)
                pending.append(_names(child))
    finally:
        for fd in stack:
            os.close(fd)
    return Usage(entries, size, depth)


def remove(path: str) -> bool:
    """Delete the tree at `path` (a folder, or anything else), however deep or locked; whether it
    is gone. Call it only once nothing writes there: it climbs back up through "..". Never raises."""
    try:
        if not os.path.isdir(path) or os.path.islink(path):
            os.unlink(path)
            return True
        fd = _open_dir(path, None)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    names: list[str] = []  # the folder's name in its parent, one per level below `path`
    pending: list[list[str]] = [_clear_files(fd)]  # the subfolders still to remove, one list per level
    try:
        while True:
            if pending[-1]:
                name = pending[-1].pop()
                try:
                    child = _open_dir(name, fd)
                except OSError:
                    continue  # left behind: `path` won't go either
                os.close(fd)
                fd = child
                names.append(name)
                pending.append(_clear_files(fd))
            elif names:
                parent = os.open("..", DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = parent
                pending.pop()
                _quietly(os.rmdir, names.pop(), dir_fd=fd)
            else:
                break
    except OSError:
        pass
    finally:
        os.close(fd)
    _quietly(os.rmdir, path)
    return not os.path.lexists(path)


def _names(fd: int) -> list[str]:
    try:
        return os.listdir(fd)
    except OSError:
        return []


def _open_dir(name: str, parent: int | None) -> int:
    """A folder's descriptor, its mode made 0700 first if it was locked (we own what we remove)."""
    try:
        return os.open(name, DIRECTORY, dir_fd=parent)
    except PermissionError:
        os.chmod(name, 0o700, dir_fd=parent)  # a folder, as its caller saw (nothing moves it now)
        return os.open(name, DIRECTORY, dir_fd=parent)


def _clear_files(fd: int) -> list[str]:
    """Unlink everything in the folder but its subfolders; the subfolders' names."""
    try:
        os.fchmod(fd, 0o700)  # a folder the worker left without write permission
    except OSError:
        pass
    folders = []
    for name in _names(fd):
        try:
            if stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
                folders.append(name)
            else:
                os.unlink(name, dir_fd=fd)
        except OSError:
            pass
    return folders


def _quietly(call, *args, **kwargs) -> None:
    try:
        call(*args, **kwargs)
    except OSError:
        pass
