"""Write grader/checks/_mistakes.json.gz: what each known mistake gives back on the inputs the checks use.

    python scripts/build_mistakes.py              # rebuild the whole table from the bank
    python scripts/build_mistakes.py --check      # say whether the table is fresh (exit 1 with what differs)

Every mutant of `tests/variants/` (and the model answer) is run through each part of its question
in this process (`tests/in_process.py`: the mutants are ours, no sandbox is needed), as grading runs
it: the same seeds, the same hypothesis examples. Each part's calls to the answer's functions are
noted; then every variant is called again on every call that any of them made, one call after the
other in a fresh worker (all of a question's), so that each call has each variant's output. A call whose output depends
on what ran before it (random numbers drawn from a global generator, say) gives the variant that
made it another output then: it is left out. The table keeps, per question and part, each call's
fingerprint, the function called, the model answer's output and the outputs of the mutants that
differ from it (None: not known), with each mutant's description, and never a mutant's source.
See `grader/diagnosis.py` for how grading uses it.
"""
from __future__ import annotations

import argparse
import warnings
import importlib.metadata
import platform
import sys
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fastquiz.grader import diagnosis  # noqa: E402
from fastquiz.grader.question import module_names  # noqa: E402
from in_process import SOLUTIONS, PartRun, call_again, run_question  # noqa: E402
from variants import variants  # noqa: E402


def versions() -> dict[str, str]:
    """What the table was built with (the inputs' fingerprints depend on torch's and hypothesis's draws)."""
    return {"python": platform.python_version(), **{name: importlib.metadata.version(name)
                                                     for name in ("torch", "hypothesis", "numpy")}}


def build(modules: list[str] | None = None) -> dict:
    """The table's data for the named question modules (all by default)."""
    torch.set_num_threads(1)  # as in a worker, and the same sums in the same order on every run
    warnings.filterwarnings("ignore")  # what the answers' code warns about (a worker writes it to a file)
    mutants = variants("MUTANTS")
    questions = {}
    for module in modules or module_names():
        found = build_question(module, mutants.get(module, []))
        if found["parts"]:
            questions[module] = found
    return {"format": diagnosis.FORMAT, "built_with": versions(), "questions": questions}


def build_question(module: str, mutants: list) -> dict:
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
    return {"mistakes": [mutant.description for mutant in mutants], "parts": parts}


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


def differences(old: dict, new: dict) -> list[str]:
    """Where a table differs from a fresh build: other mutants, calls or parts, or outputs beyond the tolerance."""
    found = []
    old_questions, new_questions = old.get("questions", {}), new["questions"]
    for module in sorted(set(old_questions) | set(new_questions)):
        before, after = old_questions.get(module), new_questions.get(module)
        if before is None or after is None:
            found.append(f"{module}: {'not in the table' if before is None else 'no longer has known calls'}")
            continue
        if before["mistakes"] != after["mistakes"]:
            found.append(f"{module}: the mutants' descriptions changed")
        for part in sorted(set(before["parts"]) | set(after["parts"])):
            calls, fresh = before["parts"].get(part, {}), after["parts"].get(part, {})
            if calls.keys() != fresh.keys():
                found.append(f"{module}::{part}: {len(fresh.keys() - calls.keys())} new calls, "
                             f"{len(calls.keys() - fresh.keys())} gone")
                continue
            for key, call in fresh.items():
                if not diagnosis.same(calls[key]["model"], call["model"]) or \
                        calls[key]["mistakes"].keys() != call["mistakes"].keys() or \
                        not all(_same_or_unknown(calls[key]["mistakes"][n], output) for n, output in call["mistakes"].items()):
                    found.append(f"{module}::{part}: other outputs of {call['function']}")
                    break
    return found


def _same_or_unknown(a: Any, b: Any) -> bool:
    return a is b is None or (a is not None and b is not None and diagnosis.same(a, b))


def load(path: Path = diagnosis.TABLE) -> dict:
    """The table's file as data (an empty table where there is none)."""
    import gzip
    import json

    if not path.exists():
        return {"questions": {}}
    data = json.loads(gzip.decompress(path.read_bytes()))
    return diagnosis.decoded(data)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the table; write nothing")
    options = parser.parse_args(argv)
    fresh = build()
    if options.check:
        found = differences(load(), fresh)
        for line in found:
            print(line)
        if found:
            print(f"{diagnosis.TABLE.name} is stale: run python scripts/build_mistakes.py")
        return 1 if found else 0
    data = diagnosis.dump(fresh)
    diagnosis.TABLE.write_bytes(data)
    calls = sum(len(calls) for question in fresh["questions"].values() for calls in question["parts"].values())
    print(f"wrote {diagnosis.TABLE.relative_to(ROOT)}: {len(fresh['questions'])} questions, {calls} calls, "
          f"{len(data) / 1e3:.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
