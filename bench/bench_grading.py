"""How fast fastquiz grades, against the floor every grading run pays: importing torch.

    python bench/bench_grading.py [--copies 1 10 50 100] [--distinct 1 10] [--jobs 2] [--repeats 3]

Prints, all measured in this one run, each command run from a folder of its own (as a student
runs `check` from a workspace, not from this checkout):
- `python -c "import torch"` and `fastquiz check --workspace solutions`: wall and CPU time (the
  best of --repeats; CPU: the whole process tree's user + system time), and their ratio
  (target: check <= 1.5 x import torch);
- the same check with workers and tasks spawned (FASTQUIZ_WORKERS=spawn, as on macOS and
  Windows) against the forked ones (target: <= 1.5 x);
- where a check's time goes: the questions that take longest (wall time in their task,
  their workers' included), and their sum over all questions;
- `fastquiz grade` of N copies of the model answers with --jobs: wall time, the marginal
  seconds per submission, and the peak memory of the whole process tree (the sum of its
  processes' proportional set sizes, sampled every 20 ms), for identical copies (which
  fastquiz grades once per run) and for copies that differ by a comment (graded in full;
  target: 0.6 s each).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FASTQUIZ = [sys.executable, "-m", "fastquiz"]
ELSEWHERE = Path(tempfile.mkdtemp(prefix="fastquiz-bench-"))  # where the commands run from


def timed(command: list[str], repeats: int, environment: dict[str, str] | None = None) -> tuple[float, float]:
    """Best wall time and best CPU time (the process and all it waited for) of `repeats` runs."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ELSEWHERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env={**os.environ, **(environment or {})})
        _, _, usage = os.wait4(process.pid, 0)
        best_wall = min(best_wall, time.perf_counter() - started)
        best_cpu = min(best_cpu, usage.ru_utime + usage.ru_stime)
    return best_wall, best_cpu


def slowest_questions(count: int = 8) -> tuple[list[tuple[str, float]], float]:
    """The questions of a check of the model answers that take longest, and the sum over all."""
    report = ELSEWHERE / "check.json"
    subprocess.run([*FASTQUIZ, "check", "--workspace", str(ROOT / "solutions"), "--json", str(report)], cwd=ELSEWHERE,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = {q["id"]: q["seconds"] for q in json.loads(report.read_text())["questions"]}
    return sorted(seconds.items(), key=lambda item: -item[1])[:count], sum(seconds.values())


class PeakMemory:
    """Samples the summed PSS of a process and all its descendants."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_pss(p) for p in _tree(self.pid)))
            time.sleep(0.02)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def grade_copies(n: int, jobs: int, distinct: bool) -> tuple[float, int]:
    """Wall time and peak memory of `fastquiz grade` on n copies of the model answers."""
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for i in range(n):
            copy = Path(tmp) / f"student{i:03d}"
            shutil.copytree(ROOT / "solutions", copy)
            if distinct:  # a comment makes every file differ, so nothing is graded once for all
                for answer in copy.glob("[qr]*.py"):
                    answer.write_text(answer.read_text() + f"\n# student {i}\n")
            copies.append(str(copy))
        command = [*FASTQUIZ, "grade", *copies, "--out", str(Path(tmp) / "out"), "--jobs", str(jobs)]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ELSEWHERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with PeakMemory(process.pid) as memory:
            process.wait()
        return time.perf_counter() - started, memory.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 50, 100])
    parser.add_argument("--distinct", type=int, nargs="*", default=[1, 10],
                        help="sizes to also grade as distinct copies (slow: every file graded)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    check = [*FASTQUIZ, "check", "--workspace", str(ROOT / "solutions")]
    torch_s, torch_cpu = timed([sys.executable, "-c", "import torch"], args.repeats)
    check_s, check_cpu = timed(check, args.repeats, {"FASTQUIZ_WORKERS": "fork"})
    spawn_s, spawn_cpu = timed(check, args.repeats, {"FASTQUIZ_WORKERS": "spawn"})
    print(f"import torch                          {torch_s:6.2f} s wall, {torch_cpu:6.2f} s CPU")
    print(f"fastquiz check, workers forked        {check_s:6.2f} s wall, {check_cpu:6.2f} s CPU"
          f"  = {check_s / torch_s:.2f} x import torch (target <= 1.5: {'PASS' if check_s <= 1.5 * torch_s else 'FAIL'})")
    print(f"fastquiz check, workers spawned       {spawn_s:6.2f} s wall, {spawn_cpu:6.2f} s CPU"
          f"  = {spawn_s / check_s:.2f} x forked (target <= 1.5: {'PASS' if spawn_s <= 1.5 * check_s else 'FAIL'})")
    slowest, total = slowest_questions()
    print(f"a check's questions take {total:.2f} s in all (2 tasks side by side); the slowest: "
          + ", ".join(f"{q} {s:.2f} s" for q, s in slowest))
    for distinct in (False, True):
        sizes = args.distinct if distinct else args.copies
        kind = "distinct copies" if distinct else "identical copies"
        previous = None
        for n in sizes:
            seconds, peak = grade_copies(n, args.jobs, distinct)
            marginal = f"  marginal {(seconds - previous[1]) / (n - previous[0]):.3f} s/submission" if previous else ""
            print(f"grade {n:3d} {kind:<17} --jobs {args.jobs}: {seconds:7.2f} s, peak memory {peak / 2**20:6.0f} MiB"
                  f"{marginal}")
            previous = (n, seconds)
    shutil.rmtree(ELSEWHERE, ignore_errors=True)


if __name__ == "__main__":
    main()
