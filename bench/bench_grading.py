"""How fast fastquiz grades, against the floor every grading run pays: importing torch.

    python bench/bench_grading.py [--copies 1 10 50 100] [--jobs 2] [--repeats 3]

Prints, all measured in this one run:
- `python -c "import torch"` and `fastquiz check --workspace solutions` wall times (best of
  --repeats) and their ratio (target: check <= 2.5 x import torch);
- `fastquiz grade` of N copies of the model answers with --jobs: wall time, the marginal
  seconds per submission, and the peak memory of the whole process tree (the sum of its
  processes' proportional set sizes, sampled every 20 ms), for identical copies (which
  fastquiz grades once per run) and for copies that differ by a comment (graded in full).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FASTQUIZ = [sys.executable, "-m", "fastquiz"]


def timed(command: list[str], repeats: int) -> float:
    """Best wall time of `repeats` runs."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - started)
    return best


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
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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

    torch_s = timed([sys.executable, "-c", "import torch"], args.repeats)
    check_s = timed([*FASTQUIZ, "check", "--workspace", "solutions"], args.repeats)
    print(f"import torch                        {torch_s:6.2f} s")
    print(f"fastquiz check --workspace solutions {check_s:6.2f} s  = {check_s / torch_s:.2f} x import torch"
          f"  (target <= 2.5: {'PASS' if check_s <= 2.5 * torch_s else 'FAIL'})")
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


if __name__ == "__main__":
    main()
