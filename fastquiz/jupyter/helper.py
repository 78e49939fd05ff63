"""The helper: the process that grades for one notebook kernel, started once and kept warm.

The kernel starts it as a fresh interpreter, `python -m fastquiz.jupyter.helper FD`, as the
extension loads. It starts a `runner.Engine` for every question and keeps it: its task has
collected every check, drawn the randomised parts' examples and tried the sandbox once, and each
check after that forks a task from it. It serves the kernel's requests (`channel.py`) one at a
time on the socket FD. A check goes through the engine as `fastquiz check` does: the student's
code runs only in workers, and
the result is remembered in the workspace for `fastquiz list` and `fastquiz report`. To
interrupt, the kernel sends `{"cancel": N}` then SIGINT: the request in progress, or request N
if it has not started yet, is answered `interrupted`; the helper goes on (the kernel sends the
signal again each second until it hears so).
"""
from __future__ import annotations

import signal
import socket
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .channel import Channel


_interruptible_now = False  # see `_interruptible`
_engine = None  # the warm `runner.Engine` every check goes through


def main(fd: int) -> None:
    global _engine
    channel = Channel(socket.socket(fileno=fd))
    try:
        from ..grader import runner
        from ..grader.question import module_names

        runner.worker_factory()  # for the plots' workers: a fork of this process, before it loads the reference
        _engine = runner.Engine(module_names(), runner.Limits())  # a warm task: the checks collected, and tried
    except Exception as error:  # noqa: BLE001 (whatever it is, the kernel shows it in one line)
        channel.send({"error": f"fastquiz's checker could not start ({type(error).__name__}: {error})"})
        return
    channel.send({"ready": True})
    signal.signal(signal.SIGINT, _on_interrupt)
    try:
        serve(channel)
    finally:
        _engine.close()  # its folder goes with it (the kernel waits a moment for that as it closes)


def serve(channel: Channel) -> None:
    """Answer the kernel's requests until it closes its end."""
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
    """The question of an id, read from its check module's syntax tree (this process imports no check)."""
    from ..grader.question import read_question, resolve

    (module,) = resolve([question_id])
    return read_question(module)


def _check(workspace: Path, question) -> dict:
    from ..commands.check import grade_and_remember
    from ..grader.results import FAILED, PASSED
    from ..report.student_plots import question_plots

    result = grade_and_remember(workspace, [question.module], _engine).questions[0]
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
