"""The question bank holds together: every model answer passes, every stub scores nothing,
every mutant fails its own question and no other, every alternative passes (in check mode; grade
mode: test_question_bank_grade_mode.py); the points go to
what code does, multiple choice gives nothing away, and the metadata has one source."""
from __future__ import annotations

import ast
import importlib
import itertools
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from fastquiz.grader.question import BEHAVIOUR, CHOICE, load_questions, question_of
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


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_stubs_title_is_its_questions_title(question):
    for folder in (EXERCISES, SOLUTIONS):
        first_line = (folder / f"{question.module}.py").read_text().splitlines()[0]
        assert re.match(r'"""(Question \d+|Research task \d): (.*) \(fastbook', first_line).group(2) == question.title


def test_the_metadata_read_without_importing_is_the_graders():
    for question in QUESTIONS:
        imported = question_of(importlib.import_module(f"fastquiz.grader.checks.{question.module}"))
        assert imported == question


def test_at_least_85_percent_of_the_points_are_for_what_code_does():
    total = sum(q.points for q in QUESTIONS)
    behaviour = sum(p.points for q in QUESTIONS for p in q.parts if p.kind == BEHAVIOUR)
    assert behaviour / total >= 0.85


def test_research_tasks_are_worth_more_than_any_recall_question():
    research = [q.points for q in QUESTIONS if q.id.startswith("r")]
    assert min(research) > max(q.points for q in QUESTIONS if q.id.startswith("q"))


def options(stub: str) -> dict[str, str]:
    """The multiple-choice options a stub's docstring lists as `a) ...`, each with its continuation lines."""
    found, letter = {}, None
    for line in ast.get_docstring(ast.parse(stub)).splitlines():
        option = re.match(r"\s*([a-h])\) (.*)", line)
        if option:
            letter = option.group(1)
            found[letter] = option.group(2)
        elif letter and line.strip() and not re.match(r"\S", line[:4]):
            found[letter] += " " + line.strip()
        else:
            letter = None
    return found


def multiple_choice() -> list[tuple[int, dict[str, str], str]]:
    """(points, options, the right letter) of every multiple-choice part: the right letter is the one-letter
    string the model answer gives to a name the stub leaves None."""
    items = []
    for question in QUESTIONS:
        choice_points = [p.points for p in question.parts if p.kind == CHOICE]
        if not choice_points:
            continue
        answers = [node.value.value for node in ast.parse((SOLUTIONS / f"{question.module}.py").read_text()).body
                   if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                   and isinstance(node.value.value, str) and len(node.value.value) == 1]
        assert len(choice_points) == len(answers) == 1, question.id
        items.append((choice_points[0], options((EXERCISES / f"{question.module}.py").read_text()), answers[0]))
    return items


@pytest.mark.parametrize("pick", [max, min], ids=["longest", "shortest"])
def test_picking_the_longest_or_the_shortest_option_scores_no_better_than_chance(pick):
    score = chance = Fraction(0)
    for points, choices, right in multiple_choice():
        assert right in choices and len(choices) >= 3
        picked = [letter for letter, text in choices.items() if len(text) == pick(map(len, choices.values()))]
        score += Fraction(points * (right in picked), len(picked))
        chance += Fraction(points, len(choices))
    assert score <= chance


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_the_first_hint_gives_no_answer_away(question):
    """No typed-in value or letter that the model answer gives is spelled out in the first hint."""
    solution = ast.parse((SOLUTIONS / f"{question.module}.py").read_text())
    stub = ast.parse((EXERCISES / f"{question.module}.py").read_text())
    asked = {t.id for n in stub.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
             and n.value.value is None for t in n.targets if isinstance(t, ast.Name)}
    for node in solution.body:
        if isinstance(node, ast.Assign) and {getattr(t, "id", "") for t in node.targets} & asked:
            for value in ast.walk(node.value):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    assert not re.search(rf"[\"'`]{re.escape(value.value)}[\"'`)]", question.hints[0], re.I)


def test_no_check_draws_from_hypothesiss_table_of_unicode_characters():
    """st.characters, st.text and st.from_regex first build hypothesis's table of every Unicode
    character: a second or more in each process that runs the part under hypothesis, as every
    failing answer makes it (grader/README.md says how to draw characters instead)."""
    unicode = {"characters", "text", "from_regex"}
    for path in sorted((ROOT / "grader" / "checks").glob("*.py")):
        calls = [node.func for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]
        called = {getattr(function, "attr", None) or getattr(function, "id", None) for function in calls}  # st.text, text
        assert not called & unicode, f"{path.name} draws with st.{', st.'.join(sorted(called & unicode))}"


def test_every_model_answer_passes_with_full_points(tmp_path):
    report = grade(workspace_with(tmp_path, {}))
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


def fastquiz_imports(source: str) -> set[str]:
    """The names a file imports from fastquiz (`from fastquiz.reference import mnist_loss` gives mnist_loss)."""
    return {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("fastquiz") for alias in node.names}


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_model_answers_and_alternatives_import_from_fastquiz_only_what_their_stub_imports(question):
    """A stub's imports are the contract: in grade mode an answer may import no other fastquiz name."""
    allowed = fastquiz_imports((EXERCISES / f"{question.module}.py").read_text())
    solution = (SOLUTIONS / f"{question.module}.py").read_text()
    assert fastquiz_imports(solution) <= allowed
    for variant in ALTERNATIVES.get(question.module, []):
        assert fastquiz_imports(variant.apply(solution)) <= allowed, variant.description


# -- the map from each stub's task to the parts that grade it ------------------------------------------------------
# A stub ends with "Graded: clause; clause; ...". Each part's docstring quotes, first, the clause of that line it
# grades, then the sentences of the task whose rules it enforces (see grader/README.md): a maintainer reading a
# part sees what it answers for, and these tests keep the quotes true.

def _words(text: str) -> str:
    return " ".join(text.split())


def stub_docstring(question) -> str:
    return _words(ast.get_docstring(ast.parse((EXERCISES / f"{question.module}.py").read_text())))


def graded_clauses(question) -> list[str]:
    """The clauses of the stub's "Graded:" line, without a leading "and" or the final full stop."""
    text = stub_docstring(question)
    assert text.count("Graded: ") == 1, f"{question.id}'s stub should say once what is graded"
    clauses = text.split("Graded: ", 1)[1].split("; ")
    return [re.sub(r"^and ", "", clause).removesuffix(".") for clause in clauses]


def check_functions(question) -> dict[str, ast.FunctionDef]:
    tree = ast.parse((ROOT / "grader" / "checks" / f"{question.module}.py").read_text())
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def quotes(part: ast.FunctionDef) -> list[str]:
    return re.findall(r'"([^"]+)"', _words(ast.get_docstring(part) or ""))


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_each_clause_of_the_graded_line_is_what_a_part_grades(question):
    functions, clauses = check_functions(question), graded_clauses(question)
    firsts = {}
    for part in question.parts:
        found = quotes(functions[part.name])
        assert found, f"{question.id}: {part.name} should quote, in its docstring, the clause of \"Graded:\" it grades"
        assert found[0] in clauses, f"{question.id}: {part.name} grades {found[0]!r}, which \"Graded:\" does not say"
        firsts[found[0]] = part.name
    promised = [clause for clause in clauses if clause not in firsts]
    assert promised == [], f"{question.id}: \"Graded:\" promises what no part grades"


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_the_rules_a_part_enforces_are_sentences_of_its_stub(question):
    functions, stub = check_functions(question), stub_docstring(question)
    for part in question.parts:
        for rule in quotes(functions[part.name])[1:]:
            assert rule in stub, f"{question.id}: {part.name} quotes {rule!r}, which its stub does not say"


def asked_names(question) -> set[str]:
    """What the stub leaves to the student: functions whose body raises NotImplementedError, values left None."""
    tree = ast.parse((EXERCISES / f"{question.module}.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and any(
                isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n) for n in ast.walk(node)):
            names.add(node.name)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value is None:
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names - {"__init__", "fit"}  # a class's methods are hinted through the class


def graded_names(question, part_name: str) -> set[str]:
    """The names a part reads from the answer: asked names written in the part or in the helpers it calls, or
    named in the stub's sentences it quotes (a shared helper of _helpers.py may read them for it)."""
    functions, asked, seen = check_functions(question), asked_names(question), set()
    found = {name for quote in quotes(functions[part_name]) for name in asked if re.search(rf"\b{name}\b", quote)}
    todo = [part_name]
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Constant) and node.value in asked:
                found.add(node.value)
            elif isinstance(node, ast.Name):
                todo.append(node.id)
    return found


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_every_part_is_hinted_at_each_level(question):
    """Each name a part grades is named by the first hint (a nudge) and by the last (which gives more away)."""
    for part in question.parts:
        names = graded_names(question, part.name)
        assert names, f"{question.id}: {part.name} reads none of the names the stub asks for"
        for level in (0, len(question.hints) - 1):
            missing = sorted(n for n in names if not re.search(rf"\b{re.escape(n)}\b", question.hints[level]))
            assert missing == [], f"{question.id}: hint {level + 1} says nothing about {missing} ({part.name})"
