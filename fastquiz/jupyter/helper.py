"""The helper: the process that grades for one notebook kernel, started once and kept warm.

The kernel starts it as a fresh interpreter, `python -m fastquiz.jupyter.helper FD`, as the
extension loads. It imports torch and the grader, then starts the check-mode worker origin
before it loads a single check (so the origin is a fork of it, torch imported once), and
serves the kernel's requests (`channel.py`) one at a time on the socket FD; after its first
answer it loads every other check, while the student reads that answer. A check goes
through `runner.grade` as `fastquiz check` does: the student's code runs only in workers, and
the result is remembered in the workspace for `fastquiz list` and `fastquiz report`. To
interrupt, the kernel sends `{"cancel": N}` then SIGINT: the request in progress, or request N
if it has not started yet, is answered `interrupted`; the helper goes on (the kernel sends the
signal again each second until it hears so).
"""
from __future__ import annotations

import importlib
import signal
import socket
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .channel import Channel


_interruptible_now = False  # see `_interruptible`


def main(fd: int) -> None:
    channel = Channel(socket.socket(fileno=fd))
    try:
        from ..grader import runner  # torch and the grader: what every check needs
        from ..grader.origin import origin_for

        origin_for(False)  # before any check is loaded: the origin is a fork of this process, torch and all
        runner.isolation(runner.Limits())  # the sandbox's trial run, done once, now
    except Exception as error:  # noqa: BLE001 (whatever it is, the kernel shows it in one line)
        channel.send({"error": f"fastquiz's checker could not start ({type(error).__name__}: {error})"})
        return
    channel.send({"ready": True})
    signal.signal(signal.SIGINT, _on_interrupt)
    prepared = False
    while True:
        try:
            with _interruptible():
                message = channel.receive()
        except KeyboardInterrupt:
            continue  # an interrupt between requests: its "cancel" tells which
        if message is None:
            return
        messages = [message, *channel.pending()]  # a request, and any "cancel" sent for it since
        cancelled = {m["cancel"] for m in messages if "cancel" in m}
        for request in (m for m in messages if "op" in m):
            reply = {"interrupted": True} if request["id"] in cancelled else _interruptible_answer(request)
            channel.send({"id": request["id"], **reply})
        try:
            with _interruptible():
                prepared = prepared or _prepare()
        except KeyboardInterrupt:
            pass  # prepared on the next turn


def _interruptible_answer(request: dict) -> dict:
    try:
        with _interruptible():
            return _answer(request)
    except KeyboardInterrupt:  # one that came as the answer was done
        return {"interrupted": True}


@contextmanager
def _interruptible() -> Iterator[None]:
    """Where SIGINT raises KeyboardInterrupt (in the block, or as it ends). Elsewhere it is dropped,
    so that a message is always sent whole; the kernel sends it again while it waits."""
    global _interruptible_now
    _interruptible_now = True
    try:
        yield
    finally:
        _interruptible_now = False


def _on_interrupt(signum, frame) -> None:
    if _interruptible_now:
        raise KeyboardInterrupt


def _prepare() -> bool:
    """Load every check, then warm hypothesis (`_warm_hypothesis`): after the first answer, while
    the student reads it, so that the first check waits only for its own question's."""
    from ..grader import checks
    from ..grader.question import module_names

    for name in module_names():
        importlib.import_module(f"{checks.__name__}.{name}")
    _warm_hypothesis()
    return True


def _warm_hypothesis() -> None:
    """Draw many numbers with hypothesis once, here. Now and then a draw picks one of the constants
    found in the code loaded so far, and the first such draw in a process scans every fastquiz
    module for them (0.3-0.5 s of CPU); done here, the tasks forked from this process inherit the scan."""
    from hypothesis import given
    from hypothesis import strategies as st

    given(st.lists(st.integers(), min_size=100))(lambda _: None)()


def _answer(request: dict) -> dict:
    from ..errors import FastquizError

    try:
        workspace = Path(request.get("workspace") or ".")
        if request["op"] == "check":
            return _check(workspace, _question(request["question"]))
        if request["op"] == "hints":
            question = _question(request["question"])
            return {"title": question.title, "hints": question.hints}
        if request["op"] == "report":
            return _report(workspace)
        return {"error": f"fastquiz's checker has no request {request['op']!r}: please report this as a fastquiz bug"}
    except KeyboardInterrupt:
        return {"interrupted": True}
    except FastquizError as error:
        return {"error": error.message}
    except Exception as error:  # noqa: BLE001 (a fault of fastquiz's, told in one line, and the helper goes on)
        return {"error": f"fastquiz's checker failed ({type(error).__name__}: {error}): please report this "
                         "as a fastquiz bug"}


def _question(question_id: str):
    """The question of an id (its check module is imported on first use)."""
    from ..grader import checks
    from ..grader.question import question_of, resolve

    (module,) = resolve([question_id])
    return question_of(importlib.import_module(f"{checks.__name__}.{module}"))


def _check(workspace: Path, question) -> dict:
    from ..commands.check import grade_and_remember
    from ..grader.results import FAILED, PASSED
    from ..report.student_plots import question_plots

    result = grade_and_remember(workspace, [question.module]).questions[0]
    plots = question_plots(workspace, question.id, result.status) if result.status in (PASSED, FAILED) else []
    return {"result": result.as_dict(), "hints": question.hints,
            "plots": [{"title": p.title, "image": p.image} for p in plots if p.image]}


def _report(workspace: Path) -> dict:
    from ..grader.question import load_questions
    from ..report import build_report
    from ..workspace import cached_results

    html = build_report(workspace)
    results = cached_results(workspace)
    return {"html": html, "results": [results[q.module].as_dict() for q in load_questions() if q.module in results]}


if __name__ == "__main__":
    main(int(sys.argv[1]))
