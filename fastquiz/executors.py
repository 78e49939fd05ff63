"""Where `fastquiz grade` runs its work: processes on this machine, or a Dask cluster.

An executor takes the prepared workspaces, the questions and the worker limits, and
returns one `GradeReport` per workspace, in order. Both grade through
`fastquiz.grader.runner`, so a submission earns the same results wherever it is graded.
"""
from __future__ import annotations

import dataclasses
import queue
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from .errors import DataUnavailable, FastquizError
from .grader.results import GradeReport, QuestionResult
from .workspace import answer_files, answer_key_paths

if TYPE_CHECKING:
    from .grader.protocol import Limits


OnResult = Callable[[int, QuestionResult], None]  # (workspace index, a question's result), as each is graded
CONNECT_SECONDS = 5  # how long a Dask scheduler has to answer


class Executor(Protocol):
    def __call__(self, workspaces: list[Path], questions: list[str] | None, limits: Limits,
                 on_result: OnResult | None = None) -> list[GradeReport]: ...


def local_executor(jobs: int | None, hidden: Path | None = None, announce: Callable[[str], None] | None = None,
                   mnist: Path | None = None) -> Executor:
    """Grade in processes on this machine, up to `jobs` at once (default: one per CPU), with the
    hidden checks in `hidden` when given, research task 2 on the full MNIST at `mnist` when given;
    `announce(isolation)` as soon as it is known."""

    def run(workspaces: list[Path], questions: list[str] | None, limits: Limits,
            on_result: OnResult | None = None) -> list[GradeReport]:
        from .grader.runner import grade_many

        return grade_many(workspaces, questions, jobs, limits, hidden, on_result, data=mnist,
                          on_ready=lambda found: announce(str(found)) if announce else None)

    return run


def dask_executor(scheduler: str, hidden: Path | None = None, mnist: Path | None = None) -> Executor:
    """Grade on the Dask distributed cluster at `scheduler`, one task per submission.

    Each task carries the submission's answer files (and the hidden checks' files), so the
    workers need fastquiz installed but no shared disk; what comes back is plain dicts, a
    submission's results all at once. The full MNIST to judge research task 2 on (`mnist`) is
    the exception: every worker must read it at that path, which each is asked before any
    grading. A scheduler that does not answer within CONNECT_SECONDS is an error."""
    hidden_files = {p.name: p.read_bytes() for p in Path(hidden).iterdir() if p.is_file()} if hidden else {}
    data = str(mnist) if mnist is not None else None

    def run(workspaces: list[Path], questions: list[str] | None, limits: Limits,
            on_result: OnResult | None = None) -> list[GradeReport]:
        try:
            from distributed import Client, KilledWorker
        except ImportError:
            raise FastquizError("`fastquiz grade --executor dask` needs Dask: pip install -e '.[dask]' "
                                "(or fastquiz[dask])") from None
        with _connect(Client, scheduler) as client:
            if data is not None:
                _refuse_missing_data(client, data)
            futures = [client.submit(grade_in_worker, _answers(w), questions, limits, hidden_files, data)
                       for w in workspaces]
            reports = []
            try:
                for i, future in enumerate(futures):  # in order: the cluster grades them all meanwhile
                    result = future.result()
                    reports.append(GradeReport([QuestionResult.from_dict(q) for q in result["questions"]],
                                               result["isolation"]))
                    for result in reports[-1].questions:
                        if on_result is not None:
                            on_result(i, result)
            except KilledWorker as error:
                raise FastquizError(f"a Dask worker died while grading ({error}): check the workers' logs") from None
        return reports

    return run


def _connect(client_class: type, scheduler: str):
    """A Dask client of `scheduler`, or a FastquizError within CONNECT_SECONDS. Dask's own timeout
    does not cover a peer that accepts the connection and never answers, so the client is made
    in a thread of its own, left behind if it has not connected in time."""
    outcome: queue.Queue = queue.Queue()

    def connect() -> None:
        try:
            outcome.put(client_class(scheduler, set_as_default=False, timeout=CONNECT_SECONDS))
        except Exception as error:  # OSError, TimeoutError, ValueError for a malformed address
            outcome.put(error)

    threading.Thread(target=connect, daemon=True, name="fastquiz-dask-connect").start()
    try:
        client = outcome.get(timeout=CONNECT_SECONDS)
    except queue.Empty:
        client = TimeoutError("no answer")
    if isinstance(client, Exception):
        raise FastquizError(f"the Dask scheduler at {scheduler} did not answer within {CONNECT_SECONDS} s "
                            f"({client}): is it running, and is the address right?")
    return client


def _refuse_missing_data(client, mnist: str) -> None:
    """A DataUnavailable naming the first worker that can't read a complete MNIST at `mnist`."""
    problems = client.run(data_problem, mnist)
    for worker, problem in sorted(problems.items()):
        if problem:
            raise DataUnavailable(f"the Dask worker at {worker} can't grade on {mnist} ({problem}): "
                                  "`fastquiz grade --data` needs that folder at that path on every worker")


def data_problem(mnist: str) -> str | None:
    """In a Dask worker: why `mnist` is not a complete full MNIST folder here, or None."""
    from .datasets import MNIST

    folder = Path(mnist)
    return "not a folder" if not folder.is_dir() else MNIST.problem(folder)


def grade_in_worker(answers: dict[str, bytes], questions: list[str] | None, limits: Limits,
                    hidden_files: dict[str, bytes] | None = None, mnist: str | None = None) -> dict:
    """In a Dask worker: write the answer files (and any hidden checks) to private folders, grade
    (research task 2 on the full MNIST at `mnist`, when given), and return the isolation in force
    and each question's result, as plain values. The worker's own model answers are hidden too."""
    import torch

    from .grader.runner import grade

    torch.set_num_threads(1)  # before grade() forks: one thread per grading process
    with tempfile.TemporaryDirectory(prefix="fastquiz-dask-") as folder:
        answers_dir, hidden_dir = Path(folder) / "answers", Path(folder) / "hidden"
        for target, files in ((answers_dir, answers), (hidden_dir, hidden_files or {})):
            target.mkdir()
            for name, data in files.items():
                (target / name).write_bytes(data)
        limits = dataclasses.replace(limits, hide=(*limits.hide, *answer_key_paths(), str(hidden_dir)))
        report = grade(answers_dir, questions, jobs=1, limits=limits, hidden=hidden_dir if hidden_files else None,
                       data=Path(mnist) if mnist else None)
    return {"isolation": report.isolation, "questions": [q.as_dict() for q in report.questions]}


def _answers(workspace: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in answer_files(workspace)}
