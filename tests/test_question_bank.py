"""The question bank holds together: every model answer passes, every stub scores nothing,
every mutant fails its own question and no other, every alternative passes."""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from fastquiz.grader.question import load_questions
from fastquiz.grader.results import NOT_STARTED, PASSED
from fastquiz.grader.runner import grade
from variants import variants

ROOT = Path(__file__).resolve().parents[1]
EXERCISES, SOLUTIONS = ROOT / "exercises", ROOT / "solutions"
QUESTIONS = load_questions()
MUTANTS, ALTERNATIVES = variants("MUTANTS"), variants("ALTERNATIVES")


def answer_files(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("[qr]*.py")}


def workspace_with(tmp_path: Path, edits: dict[str, str]) -> Path:
    """A copy of the model answers with some files' text replaced."""
    workspace = tmp_path / "workspace"
    shutil.copytree(SOLUTIONS, workspace)
    for module, text in edits.items():
        (workspace / f"{module}.py").write_text(text)
    return workspace


def rounds(found: dict[str, list]) -> list[dict]:
    """Round k applies the k-th variant of every question that has one: one grading run
    checks many variants, and a variant can only change its own question's result."""
    columns = itertools.zip_longest(*[[(module, v) for v in vs] for module, vs in sorted(found.items())])
    return [dict(pair for pair in column if pair) for column in columns]


def test_every_question_has_a_stub_a_model_answer_checks_and_a_mutant():
    modules = {q.module for q in QUESTIONS}
    assert answer_files(EXERCISES) == modules
    assert answer_files(SOLUTIONS) == modules
    assert {m for m, vs in MUTANTS.items() if vs} == modules


def test_the_bank_covers_the_37_questions_and_the_two_research_tasks_in_order():
    assert [q.id for q in QUESTIONS] == [f"q{n:02d}" for n in range(1, 38)] + ["r1", "r2"]
    assert [q.source for q in QUESTIONS[:37]] == list(range(1, 38))


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_stub_states_its_task_and_cites_the_book(question):
    text = (EXERCISES / f"{question.module}.py").read_text()
    assert question.citation in text
    assert "EXPLAIN" in text and len(question.hints) >= 2 and question.points > 0


def test_every_model_answer_passes_with_full_points():
    report = grade(SOLUTIONS)
    failures = {q.id: q.message for q in report.questions if q.status != PASSED}
    assert failures == {}
    assert report.score == report.max_score == sum(q.points for q in QUESTIONS)


def test_a_fresh_copy_of_the_exercises_scores_zero_with_every_question_not_started(tmp_path):
    workspace = tmp_path / "fresh"
    shutil.copytree(EXERCISES, workspace)
    report = grade(workspace)
    assert report.score == 0
    assert {q.id: q.status for q in report.questions} == {q.id: NOT_STARTED for q in QUESTIONS}


@pytest.mark.parametrize("round_", rounds(MUTANTS), ids=lambda r: f"{len(r)}-mutants")
def test_each_mutant_fails_its_question_and_only_that_one(tmp_path, round_):
    edits = {m: v.apply((SOLUTIONS / f"{m}.py").read_text()) for m, v in round_.items()}
    report = grade(workspace_with(tmp_path, edits))
    by_module = {q.module: r for q, r in zip(QUESTIONS, report.questions)}
    survivors = [f"{m}: {v.description}" for m, v in round_.items() if by_module[m].status == PASSED]
    collateral = [m for m, r in by_module.items() if m not in round_ and r.status != PASSED]
    assert survivors == [], "mutants that still pass"
    assert collateral == [], "questions hurt by another question's mutant"


@pytest.mark.parametrize("round_", rounds(ALTERNATIVES), ids=lambda r: f"{len(r)}-alternatives")
def test_each_correct_alternative_passes(tmp_path, round_):
    edits = {m: v.apply((SOLUTIONS / f"{m}.py").read_text()) for m, v in round_.items()}
    report = grade(workspace_with(tmp_path, edits))
    by_module = {q.module: r for q, r in zip(QUESTIONS, report.questions)}
    rejected = {f"{m}: {v.description}": by_module[m].message for m, v in round_.items() if by_module[m].status != PASSED}
    assert rejected == {}
