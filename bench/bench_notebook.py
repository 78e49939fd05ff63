"""How fast a notebook cell checks an answer, against `fastquiz check` from a terminal.

    python bench/bench_notebook.py [--question q04] [--warm 10] [--repeats 3]

Prints, all measured in this one run, on a workspace holding the model answer of --question:
- `fastquiz check QUESTION` from a terminal: wall time, best of --repeats (a fresh process,
  which imports torch and the grader every time);
- in an IPython shell (the same code as a Jupyter kernel runs, without the messaging): the
  first `%%fastquiz QUESTION` cell right after `%load_ext fastquiz` (it waits for the helper
  process to import torch and the checks), then --warm more runs of the same cell (median and
  best), each saving the cell and checking it through the warm helper (target: median under
  a second), and each against the terminal's time;
- the share of the CPUs that other processes kept busy in the 2 s before and after (over 10%:
  the figures are unreliable).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FASTQUIZ = [sys.executable, "-m", "fastquiz"]


def terminal_check(workspace: Path, question: str, repeats: int) -> float:
    """Best wall time of `fastquiz check QUESTION` in the workspace."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([*FASTQUIZ, "check", question], cwd=workspace, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - started)
    return best


def cell_checks(workspace: Path, question: str, cell: str, warm: int) -> tuple[float, list[float]]:
    """The first cell's wall time (from `%load_ext`), then each warm run's."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    os.chdir(workspace)  # the kernel's folder: its workspace
    try:
        started = time.perf_counter()
        shell.run_cell("import fastquiz\n%load_ext fastquiz", silent=True)
        result = shell.run_cell_magic("fastquiz", question, cell)
        first = time.perf_counter() - started
        if result.status != "passed":
            raise SystemExit(f"the model answer did not pass in the notebook:\n{result.text()}")
        times = []
        for _ in range(warm):
            started = time.perf_counter()
            shell.run_cell_magic("fastquiz", question, cell)
            times.append(time.perf_counter() - started)
    finally:
        os.chdir(ROOT)
    return first, times


def busy_cpus(seconds: float = 2.0) -> float:
    """The share of all CPUs that was busy over `seconds`, this process idle meanwhile."""
    before, started = _cpu_seconds_all(), time.monotonic()
    time.sleep(seconds)
    return (_cpu_seconds_all() - before) / ((time.monotonic() - started) * os.cpu_count())


def _cpu_seconds_all() -> float:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    busy = sum(int(f) for i, f in enumerate(fields) if i not in (3, 4))  # all but idle and iowait
    return busy / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", default="q04")
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from fastquiz import notebook

    module = notebook.module_for(args.question)
    model = (ROOT / "solutions" / f"{module}.py").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "answers"
        subprocess.run([*FASTQUIZ, "init", str(workspace)], check=True, stdout=subprocess.DEVNULL)
        (workspace / f"{module}.py").write_text(model)
        others = busy_cpus()
        terminal = terminal_check(workspace, args.question, args.repeats)
        first, warm = cell_checks(workspace, args.question, notebook.body_of(model), args.warm)
        others = max(others, busy_cpus())
    median = statistics.median(warm)
    print(f"fastquiz check {args.question} (terminal, best of {args.repeats})   {terminal:6.2f} s")
    print(f"first %%fastquiz {args.question} cell (helper starting)   {first:6.2f} s  = "
          f"{first / terminal:.2f} x terminal")
    print(f"warm %%fastquiz {args.question} cell, median of {len(warm):<3}    {median:6.2f} s  = "
          f"{median / terminal:.2f} x terminal  (best {min(warm):.2f} s; target < 1 s: "
          f"{'PASS' if median < 1 else 'FAIL'})")
    print(f"other processes kept {others:.0%} of the CPUs busy (2 s before and after)"
          + ("  (over 10%: unreliable)" if others > 0.1 else ""))


if __name__ == "__main__":
    main()
