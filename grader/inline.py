"""`python -m pytest --fastquiz WORKSPACE`: a pytest session that grades one workspace itself.

The entry point of fastquiz's pytest plugin (it loads `plugin.py` beside it), and the plugin's
role when a person runs pytest: no controller process and no tasks; this session starts the
workers' factory as it is configured (before pytest imports a check), plans the workspace's
units as `fastquiz check` does (`controller.plan`), and runs each question's parts through
pytest's own protocol, so that -k, -x, --lf, --junitxml and -v work as usual. The verdicts are
those of `fastquiz check` (`--fastquiz-isolation grade`: of `fastquiz grade`). Without --fastquiz
it does nothing, and imports nothing but pytest.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .plugin import Reporter, State

pytest_plugins = ["fastquiz.grader.plugin"]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Before the plugin's own: with --fastquiz, this session's role (and its workers' factory,
    started now, before pytest imports a check)."""
    from .plugin import ROLE

    workspace = config.getoption("fastquiz", None)
    if workspace and config.pluginmanager.get_plugin(ROLE) is None:
        hidden = config.getoption("fastquiz_hidden")
        config.pluginmanager.register(Inline(config, Path(workspace), Path(hidden).resolve() if hidden else None),
                                      ROLE)


class Inline:
    def __init__(self, config: pytest.Config, workspace: Path, hidden: Path | None):
        from ..workspace import answer_key_paths
        from . import sandbox, workers
        from .protocol import Limits, RunConfig
        from .sandbox import Isolation

        self.workspace = workspace.resolve()
        self.modules: list[str] = []  # the check modules to collect: all of them
        if not self.workspace.is_dir():
            raise pytest.UsageError(f"--fastquiz {workspace}: no such folder (a workspace of answers, from "
                                    "`fastquiz init`)")
        isolate = config.getoption("fastquiz_isolation") == "grade"
        hide = (*answer_key_paths(), *([str(hidden)] if hidden else [])) if isolate else ()
        self.limits = Limits(isolate=isolate, hide=hide)
        self.factory = workers.start_factory(fresh=isolate)  # now: pytest has imported no check yet
        self.scratch = Path(tempfile.mkdtemp(prefix="fastquiz-pytest-"))
        self.run_config = RunConfig([], str(hidden) if hidden else None, self.limits, str(self.scratch),
                                    sandbox.worker_environment(list(hide)), record=False)
        self.source = self.factory.source()
        self.hidden = hidden
        self.results: dict[str, Any] = {}  # question id -> its `results.QuestionResult`
        config.add_cleanup(self.close)
        found = self.source.trial(sandbox.run_trial(self.run_config))
        if found.unreadable:
            raise pytest.UsageError(f"the sandbox can't read {found.unreadable[0]}, which the grader's Python needs")
        isolation = Isolation.from_dict(found.isolation)
        self.isolation = Isolation(isolation.landlock, isolation.seccomp,
                                   isolation.missing + tuple(f"the student's code can read {p}" for p in found.exposed))

    def describe(self) -> str:
        return f"grading {self.workspace}; isolation {self.isolation}"

    def run(self, session: pytest.Session, state: State) -> None:
        from . import catalog, controller
        from .plugin import run_question
        from .protocol import Order
        from .results import QuestionResult
        from .task import grade_unit
        from .verdict import Current

        questions = catalog.questions(_modules(state))
        made = controller.plan([self.workspace], controller.read_answers([self.workspace], questions), questions, 1)
        refusals = {question.id: _refusal(status, message) for _, question, status, message in made.settled}
        for question in questions:
            if question.id in refusals:
                parts = run_question(session, state, question.id, Current(refusal=refusals[question.id]))
                self.results[question.id] = QuestionResult(question.id, question.question.title, parts)
            if session.shouldfail or session.shouldstop:
                return
        for number in sorted(made.queue, key=lambda n: questions.index(made.units[n].questions[0])):
            unit = made.units[number]
            order = Order(number, 0, str(self.workspace), [q.module for q in unit.questions], list(unit.libraries))
            for result in grade_unit(session, state, order, self.source, self.run_config):
                self.results[result.id] = result
                if session.shouldfail or session.shouldstop:
                    return

    def summary(self, write: Reporter) -> None:
        if not self.results:
            return
        write("")
        write(f"fastquiz: {self.workspace} (isolation {self.isolation})")
        for result in sorted(self.results.values(), key=lambda r: (r.id[0] != "q", r.id)):
            write(f"  {result.id:<4} {result.title:<46} {result.status:<12} {result.score}/{result.max_score}")
        score = sum(r.score for r in self.results.values())
        total = sum(r.max_score for r in self.results.values())
        write(f"  points: {score}/{total}")

    def close(self) -> None:
        from . import tree

        self.source.close()
        self.factory.close()
        tree.remove(str(self.scratch))


def _modules(state: State) -> list[str]:
    """The check modules of the questions whose parts were selected, in the bank's order."""
    from .question import module_names

    wanted = set(state.items)
    return [name for name in module_names() if name.split("_", 1)[0] in wanted]


def _refusal(status: str, message: str) -> BaseException:
    from .answers import NotAttempted, StudentError
    from .protocol import Status

    return NotAttempted(message) if status == Status.NOT_STARTED else StudentError(message)
