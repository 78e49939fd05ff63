"""How fast fastquiz grades, against the floors every grading pays: importing torch, and the
answers' own compute.

    python bench/bench_grading.py [--distinct 1 6] [--copies 1 50] [--jobs 2] [--repeats 3]

Prints, all measured in this one run (each command run as a process of its own, from a folder
of its own; CPU: the whole process tree's user + system time; the best of --repeats):
- `python -c "import torch"`, and `fastquiz check` of the model answers and of one question
  (q05) against it (targets: the whole check <= 1.5 x import torch, wall time);
- the same check with workers and tasks spawned (FASTQUIZ_WORKERS=spawn, as on macOS and
  Windows) against the forked ones (target: <= 1.5 x);
- the answers' own compute: the CPU time the model answers' code uses in its workers, summed
  over every question (`QuestionResult.cpu`, which each worker measures around the answer's
  calls): the floor of grading one submission;
- `fastquiz grade` of N distinct copies of the model answers (a comment makes every file
  differ, so each is graded in full), the two class sizes taking turns: the marginal CPU time of
  one more submission (target: at most 2 x the answers' own compute) and a run's fixed part
  (what N = 1 costs beyond it);
- the same for N distinct wrong submissions: each answer its question's first mutant
  (tests/variants: a real misconception, which fails some of its parts), made distinct by a
  comment: what a failing part costs on top (hypothesis shrinks its example, the diagnosis
  compares its calls with the known mistakes');
- identical copies (graded once): wall time and the peak memory of the whole process tree
  (the sum of its processes' proportional set sizes, sampled every 20 ms).

`--against CHECKOUT` measures another checkout of fastquiz (an earlier version: `git worktree add
/tmp/v2 <commit>`) in the same run, after this one, on its own model answers, imported through a
folder of symlinks on PYTHONPATH (its scripts/link_package.py), and prints each figure of this
checkout over that one's.
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FASTQUIZ = [sys.executable, "-m", "fastquiz"]
ELSEWHERE = Path(tempfile.mkdtemp(prefix="fastquiz-bench-"))  # where the commands run from


@dataclass
class Version:
    """A checkout of fastquiz as the commands see it: its model answers, and how it is imported."""

    name: str
    root: Path
    environment: dict[str, str] = field(default_factory=dict)

    @classmethod
    def linked(cls, checkout: Path) -> "Version":
        """Another checkout, imported through a folder of symlinks (its own scripts/link_package.py)."""
        layout = ELSEWHERE / f"layout-{checkout.name}"
        subprocess.run([sys.executable, str(checkout / "scripts" / "link_package.py"), str(layout)], check=True,
                       stdout=subprocess.DEVNULL)
        return cls(checkout.name, checkout, {"PYTHONPATH": str(layout)})


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


def answers_compute() -> float:
    """The CPU seconds the model answers' own code uses in a check, all questions together."""
    report = ELSEWHERE / "check.json"
    subprocess.run([*FASTQUIZ, "check", "--workspace", str(ROOT / "solutions"), "--json", str(report)], cwd=ELSEWHERE,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return sum(q["cpu"] for q in json.loads(report.read_text())["questions"])


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


def grade_copies(version: Version, sizes: list[int], jobs: int, distinct: bool,
                 repeats: int, wrong: bool = False) -> dict[int, tuple[float, float, int]]:
    """For each class size n: the best wall and CPU time, and the peak memory, of `fastquiz grade` on n
    copies of the model answers (`wrong`: of their first mutants). The sizes take turns, repeat after
    repeat (n1, n2, n1, n2...), so that a machine whose speed drifts during the run moves every size alike."""
    with tempfile.TemporaryDirectory() as tmp:
        classes = {n: _class(version, Path(tmp) / f"class{n}", n, distinct, wrong) for n in sizes}
        best = {n: (float("inf"), float("inf"), 0) for n in sizes}
        for attempt in range(repeats):
            for n, copies in classes.items():
                out = Path(tmp) / f"out{n}-{attempt}"
                command = [*FASTQUIZ, "grade", *copies, "--out", str(out), "--jobs", str(jobs)]
                started = time.perf_counter()
                process = subprocess.Popen(command, cwd=ELSEWHERE, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, env={**os.environ, **version.environment})
                with PeakMemory(process.pid) as memory:
                    _, _, usage = os.wait4(process.pid, 0)
                wall, cpu, peak = best[n]
                best[n] = (min(wall, time.perf_counter() - started), min(cpu, usage.ru_utime + usage.ru_stime),
                           max(peak, memory.peak))
        return best


def _class(version: Version, folder: Path, n: int, distinct: bool, wrong: bool = False) -> list[str]:
    """n copies of the model answers (`wrong`: each answer its question's first mutant); `distinct`: a
    comment makes every file differ, so nothing is graded once for all."""
    mutants = _first_mutants(version.root) if wrong else {}
    copies = []
    for i in range(n):
        copy = folder / f"student{i:03d}"
        shutil.copytree(version.root / "solutions", copy)
        for module, source in mutants.items():
            (copy / f"{module}.py").write_text(source)
        if distinct:
            for answer in copy.glob("[qr]*.py"):
                answer.write_text(answer.read_text() + f"\n# student {i}\n")
        copies.append(str(copy))
    return copies


def _first_mutants(checkout: Path) -> dict[str, str]:
    """Each question's model answer with its first mutant's edit, by module, from the checkout's own
    tests/variants (read by a process of its own, in that checkout)."""
    script = ("import json, pathlib, sys; sys.path.insert(0, 'tests'); from variants import variants; "
              "print(json.dumps({m: v[0].apply(pathlib.Path('solutions', m + '.py').read_text()) "
              "for m, v in variants('MUTANTS').items() if v}))")
    done = subprocess.run([sys.executable, "-c", script], cwd=checkout, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def measure(version: Version, args: argparse.Namespace, torch_s: float, torch_cpu: float) -> dict[str, float]:
    """Print one version's figures; return them by name, for a comparison."""
    check = [*FASTQUIZ, "check", "--workspace", str(version.root / "solutions")]
    env = version.environment
    check_s, check_cpu = timed(check, args.repeats, {**env, "FASTQUIZ_WORKERS": "fork"})
    one_s, one_cpu = timed([*check, "q05"], args.repeats, {**env, "FASTQUIZ_WORKERS": "fork"})
    spawn_s, spawn_cpu = timed(check, args.repeats, {**env, "FASTQUIZ_WORKERS": "spawn"})
    print(f"[{version.name}]")
    print(f"fastquiz check, workers forked        {check_s:6.2f} s wall, {check_cpu:6.2f} s CPU"
          f"  = {check_s / torch_s:.2f} x import torch (target <= 1.5: {'PASS' if check_s <= 1.5 * torch_s else 'FAIL'})")
    print(f"fastquiz check q05                    {one_s:6.2f} s wall, {one_cpu:6.2f} s CPU"
          f"  = {one_s / torch_s:.2f} x import torch")
    print(f"fastquiz check, workers spawned       {spawn_s:6.2f} s wall, {spawn_cpu:6.2f} s CPU"
          f"  = {spawn_s / check_s:.2f} x forked (target <= 1.5: {'PASS' if spawn_s <= 1.5 * check_s else 'FAIL'})")
    floor = answers_compute() if version.root == ROOT else float("nan")  # an earlier version may not measure it
    if version.root == ROOT:
        print(f"the answers' own compute, one submission: {floor:.2f} s CPU")
    small, large = args.distinct
    graded = grade_copies(version, [small, large], args.jobs, True, args.repeats)
    (small_wall, small_cpu, _), (large_wall, large_cpu, large_peak) = graded[small], graded[large]
    marginal = (large_cpu - small_cpu) / (large - small)
    fixed = small_cpu - small * marginal
    print(f"grade {small} and {large} distinct submissions, --jobs {args.jobs}: {small_wall:.2f} s and {large_wall:.2f} s "
          f"wall, {small_cpu:.2f} s and {large_cpu:.2f} s CPU, peak memory {large_peak / 2**20:.0f} MiB")
    print(f"  one more distinct submission: {marginal:.2f} s CPU = {marginal / floor:.2f} x the answers' own compute"
          f" (target <= 2: {'PASS' if marginal <= 2 * floor else 'FAIL'}); {(large_wall - small_wall) / (large - small):.2f}"
          " s wall")
    print(f"  a run's fixed part: {fixed:.2f} s CPU ({fixed - torch_cpu:.2f} s beyond one import of torch)")
    wrong = grade_copies(version, [small, large], args.jobs, True, args.repeats, wrong=True)
    wrong_marginal = (wrong[large][1] - wrong[small][1]) / (large - small)
    print(f"grade {small} and {large} distinct wrong submissions (first mutants): {wrong[small][0]:.2f} s and "
          f"{wrong[large][0]:.2f} s wall, {wrong[small][1]:.2f} s and {wrong[large][1]:.2f} s CPU")
    print(f"  one more distinct wrong submission: {wrong_marginal:.2f} s CPU")
    figures = {"check, wall s": check_s, "check q05, wall s": one_s, "check spawned, wall s": spawn_s,
               "one more distinct submission, CPU s": marginal, "a run's fixed part, CPU s": fixed,
               "one more wrong submission, CPU s": wrong_marginal,
               f"peak memory, {large} distinct, MiB": large_peak / 2**20}
    for n, (wall, cpu, peak) in grade_copies(version, args.copies, args.jobs, False, 1).items():
        print(f"grade {n:3d} identical copies --jobs {args.jobs}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
              f"peak memory {peak / 2**20:5.0f} MiB")
        figures[f"{n} identical copies, wall s"] = wall
        figures[f"peak memory, {n} identical, MiB"] = peak / 2**20
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distinct", type=int, nargs=2, default=[1, 6], metavar=("N1", "N2"),
                        help="two sizes of a class of distinct submissions: the marginal cost is their difference")
    parser.add_argument("--copies", type=int, nargs="*", default=[1, 50], help="sizes of a class of identical copies")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--against", type=Path, metavar="CHECKOUT", help="another checkout to measure in the same run")
    args = parser.parse_args()

    torch_s, torch_cpu = timed([sys.executable, "-c", "import torch"], args.repeats)
    print(f"import torch                          {torch_s:6.2f} s wall, {torch_cpu:6.2f} s CPU")
    ours = measure(Version("this checkout", ROOT), args, torch_s, torch_cpu)
    if args.against is not None:
        theirs = measure(Version.linked(args.against.resolve()), args, torch_s, torch_cpu)
        print(f"this checkout over {args.against}:")
        for name, value in ours.items():
            print(f"  {name:<40} {value:8.2f} / {theirs[name]:8.2f} = {value / theirs[name]:.2f}")
    shutil.rmtree(ELSEWHERE, ignore_errors=True)


if __name__ == "__main__":
    main()
