"""The controller without a process: its plan is a pure function of the answers, and its loop is
driven here by fake tasks that answer at once (see grader/controller.py)."""
from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field
from multiprocessing import Pipe
from pathlib import Path

import pytest

from fastquiz.grader import catalog
from fastquiz.grader.answers import StudentError, same_code
from fastquiz.grader.controller import Controller, libraries_of, plan
from fastquiz.grader.protocol import GraderFault, Limits, Order, Reported, Status
from fastquiz.grader.question import module_names
from fastquiz.grader.results import PartResult, QuestionResult

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = catalog.questions(module_names())
BY_ID = {q.id: q for q in QUESTIONS}


def model(question: catalog.QuestionInfo) -> bytes:
    return (ROOT / "solutions" / f"{question.module}.py").read_bytes()


def stub(question: catalog.QuestionInfo) -> bytes:
    return (ROOT / "exercises" / f"{question.module}.py").read_bytes()


def answers(**changes: bytes | None | StudentError) -> dict:
    """A workspace of model answers, with some changed (by question id)."""
    return {q.module: changes.get(q.id, model(q)) for q in QUESTIONS}


def test_one_worker_per_import_set_and_every_question_once():
    made = plan([Path("a")], [answers()], QUESTIONS, shares=1)
    sets = {q.import_set for q in QUESTIONS}
    assert len(made.units) == len(sets) == len(made.queue)
    assert sorted(q.id for u in made.units for q in u.questions) == sorted(BY_ID)
    for unit in made.units:
        assert len({q.import_set for q in unit.questions}) == 1  # nothing shares a worker with other loadables
    times = [made.units[n].time_limit for n in made.queue]
    assert times == sorted(times, reverse=True)  # longest first


def test_a_unit_names_the_slow_imports_of_its_answers_and_a_run_those_of_all_of_them():
    plots = b"import matplotlib.pyplot as plt\n"
    made = plan([Path("a")], [answers(q04=model(BY_ID["q04"]) + plots)], QUESTIONS, shares=1)
    [q04_unit] = [u for u in made.units if "q04" in {q.id for q in u.questions}]
    assert q04_unit.libraries == ("matplotlib.backends.backend_agg", "matplotlib.figure")
    assert libraries_of([model(BY_ID["q04"]), None, StudentError("too large")]) == []
    assert libraries_of([plots, model(BY_ID["q05"])]) == list(q04_unit.libraries)


@pytest.mark.parametrize("source, libraries", [
    ("import torch\nopt = torch.optim.SGD(params, lr)\n", ["torch._dynamo"]),
    ("from torch import optim\n", ["torch._dynamo"]),
    ("from torch.optim import SGD\nimport matplotlib.pyplot as plt\n",
     ["matplotlib.backends.backend_agg", "matplotlib.figure", "torch._dynamo"]),
    ("# the optimiser's step: optimizers, optimised code\nimport mpl_toolkits\n", []),  # words that only look alike
])
def test_slow_imports_are_found_by_the_words_that_set_them_off(source, libraries):
    assert libraries_of([source.encode()]) == libraries


def test_stubs_and_oversized_answers_are_settled_without_running():
    too_large = StudentError("q05_rank3_tensor.py is 6,144 KB; an answer file may be at most 128 KB")
    made = plan([Path("a")], [answers(q04=stub(BY_ID["q04"]), q05=too_large)], QUESTIONS, shares=1)
    settled = {question.id: (status, message) for _, question, status, message in made.settled}
    assert settled == {"q04": (Status.NOT_STARTED, "not answered yet"), "q05": (Status.ERROR, str(too_large))}
    assert "q04" not in {q.id for u in made.units for q in u.questions}


def test_a_stub_with_comments_and_an_explanation_is_still_not_started():
    edited = stub(BY_ID["q04"]) + b"\n# thinking about it\nEXPLAIN = '''a long answer'''\n"
    made = plan([Path("a")], [answers(q04=edited)], QUESTIONS, shares=1)
    assert [(q.id, status) for _, q, status, _ in made.settled] == [("q04", Status.NOT_STARTED)]


STUB = (ROOT / "exercises" / "q04_list_comprehension.py").read_text()
BODY = '    raise NotImplementedError("write your list comprehension here")'


@pytest.mark.parametrize("edited", [
    STUB + "\n# thinking about it\n",
    STUB.replace(BODY, "    # not yet\n" + BODY.replace("    ", "        ").replace("raise ", "raise  ")),
    STUB.replace(BODY, '    """Doubles the odd ones."""\n' + BODY),
    STUB.replace('EXPLAIN = """\n"""', "EXPLAIN = 'a list built in one expression'"),
    STUB.replace(BODY, BODY.replace('"write', "'write").replace('here"', "here'")),
])
def test_a_file_is_its_stub_whatever_its_comments_layout_docstrings_and_explanation(edited):
    assert same_code(edited, ast.parse(STUB))


@pytest.mark.parametrize("edited", [
    STUB.replace(BODY, "    return [2 * n for n in numbers if n % 2]"),
    STUB.replace(BODY, BODY + "\n    numbers = numbers"),
    STUB.replace("list[int]) -> list[int]", "list[float]) -> list[int]"),
    STUB.replace("double_odds(numbers", "double_odds(values"),
    STUB + "\nLIMIT = 1\n",
    STUB.replace("def double_odds", "def double_odds(:"),
    "",
])
def test_any_change_to_the_code_makes_a_file_an_attempt(edited):
    assert not same_code(edited, ast.parse(STUB))


def test_a_number_written_another_way_is_a_change():
    limited = STUB + "\nLIMIT = 1\n"
    assert not same_code(limited.replace("LIMIT = 1", "LIMIT = 1.0"), ast.parse(limited))


def test_identical_units_are_copies_and_one_changed_file_makes_a_unit_its_own():
    changed = model(BY_ID["q04"]) + b"\n# mine\n"
    made = plan([Path("a"), Path("b"), Path("c")], [answers(), answers(), answers(q04=changed)], QUESTIONS, shares=1)
    first = [n for n in made.queue if made.units[n].workspace == 0]
    copies = {c for n in first for c in made.copies.get(n, [])}
    assert {made.units[c].workspace for c in copies} == {1, 2}
    queued_c = [made.units[n] for n in made.queue if made.units[n].workspace == 2]
    assert [q.id for u in queued_c for q in u.questions] == [q.id for q in QUESTIONS if q.import_set ==
                                                              BY_ID["q04"].import_set]


def test_shares_split_a_submission_for_the_tasks_and_together_puts_it_in_one_unit():
    split = plan([Path("a")], [answers()], QUESTIONS, shares=2)
    assert len(split.units) > len({q.import_set for q in QUESTIONS})
    together = plan([Path("a")], [answers()], QUESTIONS, shares=1, together=True)
    assert len(together.units) == 1


# -- the loop, with fake tasks ------------------------------------------------------------------
def parts_of(question: catalog.QuestionInfo) -> list[tuple[str, int, bool]]:
    return [(p.name, p.points, False) for p in question.question.parts]


PARTS = {q.id: parts_of(q) for q in QUESTIONS}


@dataclass
class FakeTask:
    """Answers each order at once with a verdict from `judge(order, module)`; `dies_at` ends it."""

    judge: object
    connection: object = None
    inbox: list = field(default_factory=list)
    ended: bool = False
    dies_at: str | None = None

    def __post_init__(self) -> None:
        self.connection, self._far = Pipe()

    def send(self, message) -> None:
        assert isinstance(message, Order)
        for module in message.modules:
            question = next(q for q in QUESTIONS if q.module == module)
            if module == self.dies_at:
                self._far.close()
                return
            status = self.judge(message, question)
            result = QuestionResult(question.id, question.question.title,
                                    [PartResult(n, status, p if status == Status.PASSED else 0, p) for n, p, _ in
                                     PARTS[question.id]], seconds=1.0)
            self.inbox.append(Reported(message.unit, result.as_dict()))
            self._far.send_bytes(b"x")  # something to read

    def receive(self):
        if not self.inbox:
            return None
        self.connection.recv_bytes()
        return self.inbox.pop(0)

    def end(self) -> str:
        self.ended = True
        return "ended"


class FakePool:
    def __init__(self, make):
        self.make, self.started = make, []

    def start(self) -> FakeTask:
        task = self.make()
        self.started.append(task)
        return task

    def release(self, task: FakeTask) -> None:
        task.end()


def run(made, pool, jobs=2, limits=Limits()) -> dict[int, dict[str, QuestionResult]]:
    results: dict[int, dict[str, QuestionResult]] = {}
    Controller(made, PARTS, jobs, limits, lambda i, r: results.setdefault(i, {}).__setitem__(r.id, r)).run(pool)
    return results


def test_every_question_of_every_workspace_is_reported_once_and_copies_get_clean_results():
    made = plan([Path("a"), Path("b")], [answers(), answers()], QUESTIONS, shares=1)
    pool = FakePool(lambda: FakeTask(lambda order, q: Status.PASSED))
    results = run(made, pool)
    assert set(results) == {0, 1} and all(len(r) == len(QUESTIONS) for r in results.values())
    assert len(pool.started) == 2 and all(task.ended for task in pool.started)


def test_a_result_that_is_not_clean_is_never_handed_to_a_copy():
    """The first submitter timed out on q04 (its budget, its worker): the copy's q04 is graded itself."""
    made = plan([Path("a"), Path("b")], [answers(), answers()], QUESTIONS, shares=1)
    graded = []

    def judge(order: Order, question) -> Status:
        graded.append((order.workspace, question.id))
        return Status.TIMEOUT if (order.workspace, question.id) == (0, "q04") else Status.PASSED

    results = run(made, FakePool(lambda: FakeTask(judge)))
    assert results[0]["q04"].status == Status.TIMEOUT and results[1]["q04"].status == Status.PASSED
    assert (1, "q04") in graded and (1, "q05") not in graded  # only the unclean one is graded again


def test_a_task_that_dies_costs_its_unreported_questions_not_the_run():
    made = plan([Path("a")], [answers()], QUESTIONS, shares=1)
    unit = made.units[made.queue[0]]
    doomed = unit.questions[-1].module
    tasks = iter([FakeTask(lambda o, q: Status.PASSED, dies_at=doomed)])
    results = run(made, FakePool(lambda: next(tasks, None) or FakeTask(lambda o, q: Status.PASSED)), jobs=1)
    lost = results[0][unit.questions[-1].id]
    assert lost.status == Status.ERROR and "ended unexpectedly" in lost.message
    assert all(r.status == Status.PASSED for i, r in results[0].items() if i != unit.questions[-1].id)


def test_a_fault_stops_the_run():
    from fastquiz.grader.protocol import Fault

    class Faulty(FakeTask):
        def send(self, message) -> None:
            self.inbox.append(Fault("the check q04 is broken"))
            self._far.send_bytes(b"x")

    made = plan([Path("a")], [answers()], QUESTIONS, shares=1)
    with pytest.raises(GraderFault, match="the check q04 is broken"):
        run(made, FakePool(lambda: Faulty(lambda o, q: Status.PASSED)))


def test_the_budget_left_goes_with_each_order():
    made = plan([Path("a")], [answers()], QUESTIONS, shares=1)
    budgets = []

    def judge(order: Order, question) -> Status:
        budgets.append(order.budget)
        return Status.PASSED

    run(made, FakePool(lambda: FakeTask(judge)), jobs=1, limits=Limits(budget=1000.0))
    assert budgets[0] == 1000.0 and budgets[-1] < budgets[0]  # each question reported cost 1 s


def test_the_plan_is_pure():
    once = plan([Path("a")], [answers()], QUESTIONS, shares=2)
    again = plan([Path("a")], [answers()], QUESTIONS, shares=2)
    assert once == again
    assert hashlib.sha256(repr(once).encode()).hexdigest() == hashlib.sha256(repr(again).encode()).hexdigest()
