"""Write grader/checks/_mistakes.json.gz: what each known mistake gives back on the inputs the checks use.

    python scripts/build_mistakes.py              # rebuild the whole table from the bank (a minute or two)
    python scripts/build_mistakes.py q07 q14      # rebuild those questions' entries only
    python scripts/build_mistakes.py --check      # say which questions' entries are stale (exit 1 if any)

Every mutant of `tests/variants/` (and the model answer) is run through each part of its question
in this process (`tests/in_process.py`: the mutants are ours, no sandbox is needed), as grading runs
it: the same seeds, the same hypothesis examples. Each part's calls to the answer's functions are
noted; then every variant is called again on every call that any of them made, one call after the
other in a fresh worker (all of a question's), so that each call has each variant's output. A call
whose output depends on what ran before it (random numbers drawn from a global generator, say)
gives the variant that made it another output then: it is left out. The table keeps, per question
and part, each call's fingerprint, the function called, the model answer's output (not for a value
the student types in, such as a letter: only the wrong ones are kept) and the outputs of the
mutants that differ from it (None: not known), with each mutant's description, and never a
mutant's source. See `grader/diagnosis.py` for how grading uses it.

A question's entries are stale when its model answer or its mutants changed (the table keeps a
digest of them), or when the model answer, run through the checks now, makes a call the table
does not know or gets another output from one: the checks' inputs, or hypothesis's or torch's way
of drawing them, changed. Only the calls whose arguments the checks made alone must be known: once
a call has changed its arguments (a model the answer trained), what follows may differ in its
last bits from one CPU to another. `--check` and tests/test_mistakes.py look at both, in seconds.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import json
import platform
import sys
import warnings
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fastquiz.grader import diagnosis  # noqa: E402
from fastquiz.grader.question import module_names, resolve  # noqa: E402
from in_process import SOLUTIONS, PartRun, call_again, run_question  # noqa: E402
from variants import Variant, variants  # noqa: E402


def versions() -> dict[str, str]:
    """What the table was built with (the inputs' fingerprints depend on torch's and hypothesis's draws)."""
    return {"python": platform.python_version(), **{name: importlib.metadata.version(name)
                                                     for name in ("torch", "hypothesis", "numpy")}}


def quiet() -> None:
    """One thread, as in a worker (and the same sums in the same order on every run); no warnings from the
    answers' code (a worker writes them to a file)."""
    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")


def sources_digest(module: str, mutants: list[Variant]) -> str:
    """A digest of what a question's outputs are computed from: its model answer and its mutants."""
    text = json.dumps([(SOLUTIONS / f"{module}.py").read_text(), [[m.description, m.old, m.new] for m in mutants]])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def build(modules: list[str], old: dict | None = None) -> dict:
    """The table's data, with the named question modules built afresh and the others kept from `old`."""
    quiet()
    mutants = variants("MUTANTS")
    questions = {module: entry for module, entry in (old or {}).get("questions", {}).items()
                 if module in module_names() and module not in modules}
    for module in modules:
        questions[module] = build_question(module, mutants.get(module, []))
    return {"format": diagnosis.FORMAT, "built_with": versions(),
            "questions": {module: questions[module] for module in module_names() if module in questions}}


def build_question(module: str, mutants: list[Variant]) -> dict:
    solution = (SOLUTIONS / f"{module}.py").read_text()
    sources = [solution] + [mutant.apply(solution) for mutant in mutants]
    runs = [run_question(module, source, keep_arguments=True) for source in sources]
    names = [run.name for run in runs[0]]
    made = [calls_made([variant_runs[number] for variant_runs in runs]) for number in range(len(names))]
    everything = [(part, key, call) for part, calls in enumerate(made) for key, call in calls.items()]
    again = [call_again(module, source, [(function, *_copied(args, kwargs)) for _, _, (function, args, kwargs, _) in
                                         everything]) for source in sources]
    parts: dict[str, dict] = {}
    for index, (part, key, (function, _, _, seen)) in enumerate(everything):
        outputs = [variant_outputs[index] for variant_outputs in again]
        steady = all(outputs[variant] is not None and diagnosis.same(output, outputs[variant]) for variant, output in seen)
        model = outputs[0]
        if not steady or model is None:
            continue
        hidden = function.startswith(diagnosis.VALUE)  # the value asked for (a letter) is not kept, only wrong ones
        parts.setdefault(names[part], {})[key] = {
            "function": function, "model": None if hidden else model,
            "mistakes": {str(number - 1): output for number, output in enumerate(outputs)
                         if number and (output is None or not diagnosis.same(output, model))}}
    # every other call a variant made (its output not steady, or its arguments not copied): known, not compared
    left_out = {name: sorted({call.fingerprint for variant_runs in runs for call in variant_runs[number].calls}
                             - set(parts.get(name, {})))
                for number, name in enumerate(names)}
    return {"sources": sources_digest(module, mutants), "mistakes": [mutant.description for mutant in mutants],
            "parts": parts, "left_out": {name: keys for name, keys in left_out.items() if keys}}


def calls_made(runs: list[PartRun]) -> dict[str, tuple[str, tuple, dict, list[tuple[int, Any]]]]:
    """One part's calls, by fingerprint, as any variant first made them (the model answer is variant 0),
    with each output a variant got from it in its run (made again, a variant must give the same)."""
    made: dict[str, tuple[str, tuple, dict, list[tuple[int, Any]]]] = {}
    for variant, run in enumerate(runs):
        for call, arguments in zip(run.calls, run.arguments):
            if arguments is None:
                continue  # its arguments could not be copied: it can't be made again
            made.setdefault(call.fingerprint, (call.function, *arguments, []))[3].append((variant, call.output))
    return made


def _copied(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    copied = diagnosis.copy_arguments(args, kwargs)
    assert copied is not None, "arguments copied once copy again"
    return copied


# -- is it fresh? ---------------------------------------------------------------------------------------
def stale(table: dict) -> dict[str, str]:
    """The questions whose entries in `table` are stale, with why (see the module's docstring)."""
    quiet()
    mutants = variants("MUTANTS")
    questions = table.get("questions", {}) if table.get("format") == diagnosis.FORMAT else {}
    found = {}
    for module in module_names():
        entry = questions.get(module)
        if entry is None:
            found[module] = "not in the table"
            continue
        if entry.get("sources") != sources_digest(module, mutants.get(module, [])):
            found[module] = "its model answer or its mutants changed"
            continue
        for run in run_question(module, (SOLUTIONS / f"{module}.py").read_text()):
            calls, left_out = entry["parts"].get(run.name, {}), set(entry["left_out"].get(run.name, []))
            unknown = [call for call in _check_made(run.calls) if call.fingerprint not in calls
                       and call.fingerprint not in left_out]
            other = [call for call in run.calls if call.fingerprint in calls and calls[call.fingerprint]["model"]
                     is not None and not diagnosis.same(call.output, calls[call.fingerprint]["model"])]
            if unknown or other:
                found[module] = (f"the model answer's calls of {run.name} are not the table's ({len(unknown)} unknown, "
                                 f"{len(other)} with another output)")
                break
    return found


def _check_made(calls: list[diagnosis.Call]) -> list[diagnosis.Call]:
    """The calls whose arguments the checks made alone: those up to the first that changed one of its
    arguments (a model the answer trains). A later call's arguments may hold what the answer computed,
    whose last bits differ from one CPU to another, so its fingerprint proves nothing stale."""
    made = []
    for call in calls:
        made.append(call)
        if isinstance(call.output, dict) and call.output.get("changed"):
            break
    return made


def load(path: Path = diagnosis.TABLE) -> dict:
    """The table's file as data, its outputs decoded (an empty table where there is none)."""
    if not path.exists():
        return {"questions": {}}
    return diagnosis.decoded(json.loads(gzip.decompress(path.read_bytes())))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", nargs="*", help="the questions to rebuild (q07, q14...): all by default")
    parser.add_argument("--check", action="store_true", help="say which questions' entries are stale; write nothing")
    options = parser.parse_args(argv)
    old = load()
    if options.check:
        found = stale(old)
        for module, why in found.items():
            print(f"{module}: {why}")
        if found:
            ids = " ".join(module.split("_", 1)[0] for module in found)  # what the command takes
            print(f"{diagnosis.TABLE.name} is stale: run python scripts/build_mistakes.py {ids}")
        return 1 if found else 0
    modules = resolve(options.questions) if options.questions else module_names()
    fresh = build(modules, old)
    data = diagnosis.dump(fresh)
    diagnosis.TABLE.write_bytes(data)
    calls = sum(len(calls) for question in fresh["questions"].values() for calls in question["parts"].values())
    print(f"wrote {diagnosis.TABLE.relative_to(ROOT)}: {len(fresh['questions'])} questions, {calls} calls, "
          f"{len(data) / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
