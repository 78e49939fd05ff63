"""The diagnosis names a mistake only when it is that mistake: every mutant of tests/variants/ that
fails a part is diagnosed as itself or not at all, every correct alternative never, two mutants
together never as a third; at least half of the mutants' failing parts are diagnosed. The table
(grader/checks/_mistakes.json.gz) is fresh and holds no variant's source; and the diagnosis
reaches `fastquiz check --json`. The variants run in this process (tests/in_process.py: they are
ours, no sandbox is needed); the table is built by scripts/build_mistakes.py."""
from __future__ import annotations

import functools
import gzip
import importlib.util
import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.grader import diagnosis
from fastquiz.grader.question import module_names
from fastquiz.grader.results import PASSED
from in_process import SOLUTIONS, PartRun, run_question
from variants import Variant, variants

ROOT = Path(__file__).resolve().parents[1]
MUTANTS, ALTERNATIVES = variants("MUTANTS"), variants("ALTERNATIVES")
SHARE = 0.5  # of all the mutants' failing parts, those diagnosed as their own mistake


def build_script():
    spec = importlib.util.spec_from_file_location("build_mistakes", ROOT / "scripts" / "build_mistakes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def graded(module: str, source: str) -> list[PartRun]:
    """Each part's run of `source`, its known calls noted and diagnosed as grading does."""
    return run_question(module, source, log=lambda part: diagnosis.log_for(module, part))


def solution(module: str) -> str:
    return (SOLUTIONS / f"{module}.py").read_text()


@functools.cache
def mutants_graded(module: str) -> list[tuple[Variant, list[PartRun]]]:
    return [(mutant, graded(module, mutant.apply(solution(module)))) for mutant in MUTANTS[module]]


def failing(runs: list[PartRun]) -> list[PartRun]:
    return [run for run in runs if run.status != PASSED]


def test_a_fingerprint_digests_its_arguments_bytes_whole_and_in_order():
    """The table's fingerprints are SHA-256 digests of each call's arguments put together: hashed in
    pieces (a tensor's bytes where they lie), they must stay those digests."""
    import hashlib

    import torch

    hasher = diagnosis._Hasher()
    hasher.add(("f", [torch.arange(50_000.0), 2.5, torch.ones(3)], {"lr": 0.1}), 0)
    assert len([c for c in hasher.chunks if len(c) >= 1 << 16]) == 1
    assert hasher.digest() == hashlib.sha256(b"".join(hasher.chunks)).hexdigest()[:32]
    again = diagnosis._Hasher()
    again.add(("f", [torch.arange(50_000.0), 2.5, torch.ones(3) * 2], {"lr": 0.1}), 0)
    assert again.digest() != hasher.digest()


def test_the_table_is_fresh():
    stale = build_script().stale(build_script().load())
    assert stale == {}, "run python scripts/build_mistakes.py " + " ".join(stale)


@pytest.mark.parametrize("module", sorted(MUTANTS))
def test_a_failing_mutant_is_diagnosed_as_itself_or_not_at_all(module):
    wrong = {f"{mutant.description} / {run.name}": run.diagnosis for mutant, runs in mutants_graded(module)
             for run in failing(runs) if run.diagnosis not in (None, diagnosis.words(mutant.description))}
    assert wrong == {}


def test_at_least_half_of_the_mutants_failing_parts_are_diagnosed_as_their_mistake():
    counts = {module: [0, 0] for module in sorted(MUTANTS)}
    for module, count in counts.items():
        for mutant, runs in mutants_graded(module):
            for run in failing(runs):
                count[0] += run.diagnosis == diagnosis.words(mutant.description)
                count[1] += 1
    diagnosed, total = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
    print(f"diagnosed {diagnosed}/{total} failing parts of mutants ({diagnosed / total:.0%}); by question:",
          ", ".join(f"{module[:3]} {d}/{t}" for module, (d, t) in counts.items()))
    assert diagnosed >= SHARE * total


@pytest.mark.parametrize("module", sorted(ALTERNATIVES))
def test_a_correct_alternative_is_never_diagnosed(module):
    found = {f"{alternative.description} / {run.name}": run.diagnosis for alternative in ALTERNATIVES[module]
             for run in graded(module, alternative.apply(solution(module))) if run.diagnosis is not None}
    assert found == {}


def pairs(module: str) -> list[tuple[Variant, Variant, str]]:
    """Every two mutants of a question whose edits apply together (to text of the model answer that
    they do not share), with the source they make."""
    source, found = solution(module), []
    for first, second in itertools.combinations(MUTANTS[module], 2):
        (a, b), (c, d) = sorted((source.index(v.old), source.index(v.old) + len(v.old)) for v in (first, second))
        if b <= c:
            edits = {v.old: v.new for v in (first, second)}
            found.append((first, second, source[:a] + edits[source[a:b]] + source[b:c] + edits[source[c:d]] + source[d:]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("module", sorted(MUTANTS))
def test_two_mutants_together_are_never_diagnosed_as_a_third(module):
    third = {f"{first.description} + {second.description} / {run.name}": run.diagnosis
             for first, second, source in pairs(module) for run in graded(module, source)
             if run.diagnosis not in (None, diagnosis.words(first.description), diagnosis.words(second.description))}
    assert third == {}


def table_text() -> list[str]:
    """Every text in the table but its arrays' numbers and the calls' fingerprints."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "data":
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.append(value)

    walk(json.loads(gzip.decompress(diagnosis.TABLE.read_bytes())))
    return found


def test_the_table_holds_no_line_of_a_model_answer_or_a_variant():
    texts = "\n".join(table_text())
    lines = {line.strip() for module in module_names()
             for source in [solution(module)] + [v.new for v in MUTANTS[module] + ALTERNATIVES[module]]
             for line in source.splitlines() if len(line.strip()) >= 12 and not line.strip().startswith("#")}
    assert lines and [line for line in lines if line in texts] == []
    descriptions = {m.description for vs in MUTANTS.values() for m in vs}
    assert descriptions <= set(table_text())  # what the student reads is there, and only that of the mutants


def test_check_json_carries_a_failing_questions_diagnosis_and_null_for_a_passing_one(tmp_path):
    mutant = MUTANTS["q07_rmse_l1"][0]
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "q07_rmse_l1.py").write_text(mutant.apply(solution("q07_rmse_l1")))
    (workspace / "q04_list_comprehension.py").write_text(solution("q04_list_comprehension"))
    out = tmp_path / "results.json"
    result = CliRunner().invoke(main, ["check", "q04", "q07", "--workspace", str(workspace), "--json", str(out)])
    assert result.exit_code == 1, result.output
    questions = {q["id"]: q for q in json.loads(out.read_text())["questions"]}
    assert questions["q07"]["diagnosis"] == diagnosis.words(mutant.description)
    assert questions["q04"]["status"] == PASSED and questions["q04"]["diagnosis"] is None
    assert diagnosis.words(mutant.description) in result.output


def test_grade_gives_each_submission_its_diagnosis_in_results_json(tmp_path):
    """Grade mode (isolation on, as root where the suite runs as root): with two submissions the
    randomised parts' examples are drawn before grading and replayed, and a failing part is run again
    by hypothesis for its diagnosis; each submission gets its own."""
    mutant = MUTANTS["q07_rmse_l1"][0]
    folders = []
    for name in ("alice", "bob"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "q07_rmse_l1.py").write_text(f"{mutant.apply(solution('q07_rmse_l1'))}\n# {name}\n")
        folders.append(str(folder))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["grade", *folders, "--questions", "q07", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("alice", "bob"):
        (test,) = json.loads((out / name / "results.json").read_text())["tests"]
        assert test["status"] == "failed" and test["extra_data"]["diagnosis"] == diagnosis.words(mutant.description)


def test_grade_diagnoses_a_failing_plain_part_and_keeps_its_first_verdict(tmp_path):
    """Grade mode (isolation on, as root where the suite runs as root): a part without hypothesis that
    fails (q03's accuracy) still gets its diagnosis, now noted on its second run (that only a failing
    part is noted: tests/test_pytest_plugin.py), and its verdict is the first run's: an answer wrong
    only at its first call fails that part, whatever its second run does."""
    mutant = next(m for m in MUTANTS["q03_pixel_similarity"] if "accuracy on 7s" in m.description)
    first_call_wrong = solution("q03_pixel_similarity").replace("    return on_3s, on_7s\n", (
        "    global CALLS\n"
        "    CALLS += 1\n"
        "    return (on_3s, on_7s) if CALLS > 1 else (0.5, 0.5)\n")) + "\nCALLS = 0\n"
    folders = []
    for name, source in (("alice", mutant.apply(solution("q03_pixel_similarity"))), ("bob", first_call_wrong)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "q03_pixel_similarity.py").write_text(source)
        folders.append(str(tmp_path / name))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["grade", *folders, "--questions", "q03", "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("alice", "bob"):
        (test,) = json.loads((out / name / "results.json").read_text())["tests"]
        parts = dict(line.strip().split(": ", 1) for line in test["output"].splitlines()[1:] if line.startswith("  test_"))
        assert test["score"] == 4 and parts.pop("test_accuracy_on_valid_digits_matches_the_reference").startswith("failed 0/2")
        assert set(parts.values()) == {"passed 1/1", "passed 2/2"}, test["output"]
        if name == "alice":
            assert test["extra_data"]["diagnosis"] == diagnosis.words(mutant.description)
        else:
            assert "the accuracy on the 3s is 0.5" in test["output"], test["output"]  # the first run's failure
