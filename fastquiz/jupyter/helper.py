"""The helper: the process that grades for one notebook kernel, started once and kept warm.

The kernel starts it as a fresh interpreter, `python -m fastquiz.jupyter.helper FD`, as the
extension loads. Before it loads anything graded it starts the check-mode worker origin (a
fork of itself, so no second interpreter has to import torch); then it imports every check,
and serves the kernel's requests (`channel.py`) one at a time on the socket FD. A check goes
through `runner.grade` as `fastquiz check` does: the student's code runs only in workers, and
the result is remembered in the workspace for `fastquiz list` and `fastquiz report`. SIGINT
stops the request in progress (the kernel forwards an interrupt), not the helper.
"""
from __future__ import annotations

import socket
import sys
from pathlib import Path

from .channel import Channel


def main(fd: int) -> None:
    channel = Channel(socket.socket(fileno=fd))
    try:
        from ..grader.origin import origin_for

        origin_for(False)  # first: a fork of this process, which has loaded nothing graded yet
        from ..commands.check import grade_and_remember  # noqa: F401 (the grader, loaded once)
        from ..grader.question import load_questions

        questions = {q.id: q for q in load_questions()}  # torch and every check, once
        _warm_hypothesis()
    except Exception as error:  # noqa: BLE001 (whatever it is, the kernel shows it in one line)
        channel.send({"error": f"fastquiz's checker could not start ({type(error).__name__}: {error})"})
        return
    channel.send({"ready": True})
    while True:
        try:
            request = channel.receive()
        except KeyboardInterrupt:
            continue  # an interrupt between requests: nothing to stop
        if request is None:
            return
        channel.send({"id": request.get("id"), **_answer(request, questions)})


def _warm_hypothesis() -> None:
    """Draw many numbers with hypothesis once, here. Now and then a draw picks one of the constants
    found in the code loaded so far, and the first such draw in a process scans every fastquiz
    module for them (0.3-0.5 s of CPU); done here, the tasks forked from this process inherit the scan."""
    from hypothesis import given
    from hypothesis import strategies as st

    given(st.lists(st.integers(), min_size=100))(lambda _: None)()


def _answer(request: dict, questions: dict) -> dict:
    from ..errors import FastquizError

    try:
        question = questions.get(request.get("question"))
        workspace = Path(request.get("workspace") or ".")
        if request["op"] == "check":
            return _check(workspace, question)
        if request["op"] == "hints":
            return {"title": question.title, "hints": question.hints}
        if request["op"] == "report":
            return _report(workspace, list(questions.values()))
        return {"error": f"fastquiz's checker has no request {request['op']!r}: please report this as a fastquiz bug"}
    except KeyboardInterrupt:
        return {"interrupted": True}
    except FastquizError as error:
        return {"error": error.message}
    except Exception as error:  # noqa: BLE001 (a fault of fastquiz's, told in one line, and the helper goes on)
        return {"error": f"fastquiz's checker failed ({type(error).__name__}: {error}): please report this "
                         "as a fastquiz bug"}


def _check(workspace: Path, question) -> dict:
    from ..commands.check import grade_and_remember
    from ..grader.results import FAILED, PASSED
    from ..report.student_plots import question_plots

    result = grade_and_remember(workspace, [question.module]).questions[0]
    plots = question_plots(workspace, question.id, result.status) if result.status in (PASSED, FAILED) else []
    return {"result": result.as_dict(), "hints": question.hints,
            "plots": [{"title": p.title, "image": p.image} for p in plots if p.image]}


def _report(workspace: Path, questions: list) -> dict:
    from ..report import build_report
    from ..workspace import cached_results

    html = build_report(workspace)
    results = cached_results(workspace)
    return {"html": html, "results": [results[q.module].as_dict() for q in questions if q.module in results]}


if __name__ == "__main__":
    main(int(sys.argv[1]))
