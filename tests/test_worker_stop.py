"""Stopping a worker (grader/workers.py): a killed worker's folder is deleted once the worker is seen
to end, at its source's next start or close, so a task never waits for it; one that ended by itself
is buried at once. Driven by a fake source: no process is started."""
from __future__ import annotations

from multiprocessing import Pipe
from pathlib import Path

from fastquiz.grader.channel import Channel
from fastquiz.grader.protocol import Limits, WorkerSettings
from fastquiz.grader.workers import WorkerProcess, WorkerSource


class FakeSource(WorkerSource):
    """Workers that end when killed, or by themselves after `grace` when `ends_by_itself`."""

    def __init__(self, ends_by_itself: bool = False):
        super().__init__()
        self.ends_by_itself, self.killed, self.waited, self.next_pid = ends_by_itself, [], [], 100
        self.dead: set[int] = set()

    def _start(self, settings: WorkerSettings) -> tuple[int, Channel]:
        self.next_pid += 1
        return self.next_pid, Channel(Pipe()[0])

    def start_trial(self, instructions):
        raise NotImplementedError

    def wait(self, pid: int, timeout: float) -> int | None:
        self.waited.append(pid)
        if self.ends_by_itself:
            return 0
        return -9 if pid in self.dead else None

    def kill(self, pid: int) -> None:
        self.killed.append(pid)
        self.dead.add(pid)

    def close(self) -> None:
        self.bury()


def started(source: FakeSource, tmp_path: Path, name: str) -> WorkerProcess:
    folder = tmp_path / name
    (folder / "work").mkdir(parents=True)
    (folder / "work" / "left.txt").write_text("x")
    return source.start(WorkerSettings(folder=str(folder), answers={}, loadable=[], rules=[]), Limits())


def test_a_killed_worker_is_buried_at_the_next_start_not_while_the_task_waits(tmp_path):
    source = FakeSource()
    first = started(source, tmp_path, "first")
    assert first.stop() is None and source.killed == [first_pid := 101] and not first.running
    assert (tmp_path / "first").exists() and source.waited == []  # the task went on at once
    second = started(source, tmp_path, "second")
    assert source.waited == [first_pid] and not (tmp_path / "first").exists()
    second.stop()
    source.close()
    assert source.waited == [first_pid, 102] and not (tmp_path / "second").exists()


def test_a_worker_that_ends_within_its_grace_is_buried_at_once_with_its_exit_code(tmp_path):
    source = FakeSource(ends_by_itself=True)
    worker = started(source, tmp_path, "w")
    assert worker.stop(grace=1.0) == 0 and source.killed == []
    assert not (tmp_path / "w").exists() and source.dying == []


def test_stopping_twice_changes_nothing(tmp_path):
    source = FakeSource()
    worker = started(source, tmp_path, "w")
    worker.stop()
    worker.stop()
    assert source.killed == [101] and len(source.dying) == 1
    source.close()
    assert source.dying == [] and not (tmp_path / "w").exists()


def test_the_worker_module_loads_what_numpy_would_load_in_each_worker():
    """numpy loads numpy.random at its first use. The worker module loads it, in the origin, so that
    no worker loads it again at its first seeding (10 ms, counted as the answer's own compute)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import sys, fastquiz.grader.worker; print(sorted(m for m in "
                           "('numpy.random', 'numpy.random.mtrand') if m not in sys.modules))"],
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr
