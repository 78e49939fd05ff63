"""Similar answers, measured on a crafted class (tests/similar_class): every disguised copy is
found, and no pair of answers written independently is flagged, nor those who hand in the
model answer."""
from __future__ import annotations

import csv
import itertools

from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.similarity import fingerprints, similar_pairs
from similar_class import COPIED, MODULES, crafted_class, disguise
from workspaces import ROOT

MODELS = {m: (ROOT / "solutions" / f"{m}.py").read_text() for m in MODULES}
STUBS = {m: (ROOT / "exercises" / f"{m}.py").read_text() for m in MODULES}
LOOP = """
def total(values):
    result = 0  # running sum
    for value in values:
        result += value * 2
    return result
"""


def test_every_copy_in_the_crafted_class_is_found_and_nothing_else():
    answers = crafted_class(MODELS)
    found = {(frozenset((p.a, p.b)), p.question) for p in similar_pairs(answers, STUBS, MODELS)}
    assert found >= COPIED, f"missed: {COPIED - found}"  # recall 1
    assert found <= COPIED, f"flagged independent answers: {found - COPIED}"  # precision 1


def test_the_class_really_is_independent_apart_from_the_copies():
    """The measurement means something only if the answers differ as written: no two originals
    share even a third of their own statements (lines of some length that are not a header, the
    stub's or the model answer's)."""
    answers = crafted_class(MODELS)
    for module in MODULES:
        given = set(STUBS[module].split("\n")) | set(MODELS[module].split("\n")) | {""}
        writers = [s for s in ("ana", "ben", "chen", "dev", "eve") if module in answers[s]]
        for a, b in itertools.combinations(writers, 2):
            lines_a, lines_b = ({line for line in set(answers[s][module].split("\n")) - given
                                 if len(line.strip()) > 20 and not line.lstrip().startswith(("def ", "class "))}
                                for s in (a, b))
            assert len(lines_a & lines_b) < len(lines_a) / 3, (module, a, b, lines_a & lines_b)


def test_renaming_recommenting_and_reindenting_leave_the_fingerprints_as_they_were():
    renamed = disguise(LOOP, {"total": "add_up", "values": "xs", "result": "acc", "value": "v"}, [], "mine")
    assert renamed != LOOP and fingerprints(renamed).hashes == fingerprints(LOOP).hashes


def test_names_the_answer_takes_from_elsewhere_count():
    assert fingerprints("y = torch.sum(x, dim=1) + 1\n").hashes != fingerprints("y = torch.mean(x, dim=1) + 1\n").hashes


def test_an_answer_that_does_not_parse_or_nests_too_deep_has_no_fingerprints():
    assert fingerprints("def broken(:\n    return").hashes == set()
    assert fingerprints("_X = " + " + ".join(["1"] * 3000) + "\n").hashes == set()  # RecursionError in ast.parse


def test_two_copies_of_the_model_answer_are_not_flagged():
    answers = {"jay": dict(MODELS), "kim": dict(MODELS)}
    assert similar_pairs(answers, STUBS, MODELS) == []


def test_grade_lists_similar_answers_in_a_file_and_shows_them_side_by_side(tmp_path):
    answers = crafted_class(MODELS)
    for student in ("ana", "gina", "ben"):
        (tmp_path / student).mkdir()
        (tmp_path / student / "q24_dataloader.py").write_text(answers[student]["q24_dataloader"])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["grade", *(str(tmp_path / s) for s in ("ana", "gina", "ben")),
                                       "--questions", "q24", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "similar_answers.csv").open()))
    assert [(r["question"], r["submission"], r["other submission"]) for r in rows] == [("q24_dataloader", "ana", "gina")]
    assert float(rows[0]["similarity"]) >= 0.6
    page = (out / "class.html").read_text()
    assert "<summary>ana and gina</summary>" in page and page.count("<mark>") >= 5
