"""A randomised part's examples, drawn once per run and replayed for every answer.

A part decorated with hypothesis's `@given` draws its examples from a pinned seed (the bank's
profile, see `checks/__init__.py`, is derandomised), so every answer that passes sees the same
ones. `record` draws them once, with a stand-in for the part's body that notes each example and
passes (the first task does, before it forks the tasks of a run of several submissions); failing
that, the first answer that passes a part in a task runs it with hypothesis, which hands each
example to the part's body, and `run_and_record` notes them on the way. From then on `replay`
calls the body itself on each noted example, with no hypothesis engine in between. At the first example
that fails, hypothesis runs the part for real: it meets the same example, shrinks it as it always
does, and raises what it would have raised, so a replayed part and a real one end alike.

The bank's examples are also kept between runs (`Store`, in the user's cache): a file named after
everything that decides them (the bank's source, hypothesis's, numpy's and Python's versions), so
a student's next `fastquiz check` replays them without drawing any. They are plain values in
`wire`'s format, which carries no code.
"""
from __future__ import annotations

import copy
import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable

import hypothesis
import numpy as np
from hypothesis import seed
from hypothesis.internal.reflection import function_digest

from . import wire

Example = tuple[tuple, dict]  # the positional and keyword arguments hypothesis passed the body


def pin_seed(test: Callable) -> None:
    """hypothesis draws a derandomised part's examples from a digest of its source, which it works
    out again at every run (tokenising the source: milliseconds a part, every submission). Work it
    out once, as hypothesis is first about to run the part, and pin it with hypothesis's @seed: the
    same examples, without the cost (and none at all for a part whose examples are replayed)."""
    handle = getattr(test, "hypothesis", None)
    if handle is None or getattr(test, "_hypothesis_internal_use_seed", None) is not None:
        return
    seed(int.from_bytes(function_digest(handle.inner_test), "big"))(test)
    setattr(test, "_hypothesis_internal_database_key", None)  # no database: no key to work out either


def record(test: Callable, fixtures: dict[str, Any]) -> list[Example] | None:
    """The examples hypothesis hands a part's body when every one passes, drawn without running the
    body at all (a stand-in that notes each example and passes); None where that did not work."""
    pin_seed(test)  # from the body's own source, before the stand-in takes its place
    handle = test.hypothesis  # type: ignore[attr-defined]
    body, examples = handle.inner_test, []

    def note(*args: Any, **kwargs: Any) -> None:
        examples.append((copy.deepcopy(args), copy.deepcopy({k: v for k, v in kwargs.items() if k not in fixtures})))

    handle.inner_test = note
    try:
        test(**fixtures)
    except Exception:  # noqa: BLE001 (such a part notes its examples the first time it passes instead)
        return None
    finally:
        handle.inner_test = body
    return examples


def run_and_record(test: Callable, fixtures: dict[str, Any]) -> list[Example] | None:
    """Run the part for real, noting each example hypothesis hands its body; the examples when the
    part passed (every answer that passes sees those), None when it did not (what it raised goes on up)."""
    pin_seed(test)
    handle = test.hypothesis  # type: ignore[attr-defined]
    body, examples = handle.inner_test, []

    def note(*args: Any, **kwargs: Any) -> None:
        examples.append((copy.deepcopy(args), copy.deepcopy({k: v for k, v in kwargs.items() if k not in fixtures})))
        body(*args, **kwargs)

    handle.inner_test = note
    try:
        test(**fixtures)
    finally:
        handle.inner_test = body
    return examples


def replay(test: Callable, examples: list[Example], fixtures: dict[str, Any],
           rerunnable: Callable[[], bool] = lambda: True) -> None:
    """Run `test`'s body on each recorded example; at the first that fails, hypothesis runs the part
    itself (and raises what it finds), where it can meet that example again: `rerunnable()`, asked
    after the failure, says so (an answer whose process ended can't be run again: its failure stands)."""
    body = test.hypothesis.inner_test  # type: ignore[attr-defined]
    for args, kwargs in examples:
        try:
            body(*copy.deepcopy(args), **copy.deepcopy(kwargs), **fixtures)
        except Exception:  # noqa: BLE001 (hypothesis finds it again, and shrinks it)
            if not rerunnable():
                raise
            pin_seed(test)
            test(**fixtures)
            return


class Store:
    """The examples of the bank's randomised parts, kept in `folder` between runs (see the module's
    docstring). A cache: a file that is missing, unreadable or malformed is drawn again, and one that
    can't be written is not kept."""

    PREFIX, SUFFIX = "examples-", ".wire"

    def __init__(self, folder: Path, sources: Iterable[Path]):
        digest = hashlib.sha256()
        for version in (hypothesis.__version__, np.__version__, sys.version):
            digest.update(version.encode() + b"\0")
        for source in sorted(sources):
            digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        self.folder, self.path = folder, folder / f"{self.PREFIX}{digest.hexdigest()[:24]}{self.SUFFIX}"

    def load(self) -> dict[str, list[Example]]:
        """Each part's examples (by its node id), as `save` wrote them; nothing where they can't be read."""
        try:
            stored = wire.decode(*wire.parse(self.path.read_bytes()))
        except (OSError, ValueError, TypeError, KeyError, IndexError, wire.TooLarge):
            return {}
        if not isinstance(stored, dict) or not all(isinstance(key, str) and _well_formed(value)
                                                     for key, value in stored.items()):
            return {}
        return stored

    def save(self, examples: dict[str, list[Example]]) -> None:
        """Keep `examples` (the parts whose examples are all plain values), replacing the file whole,
        and remove the files of earlier versions of the bank."""
        encoder = wire.Encoder(keep=_plain_only)
        payload = []
        for nodeid, listed in examples.items():
            try:
                payload.append([encoder.encode(nodeid), encoder.encode(listed)])
            except TypeError:  # an object wire can't carry: that part is drawn again next time
                continue
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".examples-", dir=self.folder)
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(wire.message({"dict": payload}, encoder.buffers))
            os.replace(temporary, self.path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            return
        for old in self.folder.glob(f"{self.PREFIX}*{self.SUFFIX}"):
            if old != self.path:
                old.unlink(missing_ok=True)


def _plain_only(value: Any) -> int:
    raise TypeError(f"{type(value).__name__} is not a plain value")


def _well_formed(examples: Any) -> bool:
    return isinstance(examples, list) and all(
        isinstance(example, tuple) and len(example) == 2 and isinstance(example[0], tuple)
        and isinstance(example[1], dict) for example in examples)
