"""fastquiz's pytest plugin: the bank's checks are pytest tests, run by pytest.

    python -m pytest --fastquiz WORKSPACE [--fastquiz-hidden DIR] [--fastquiz-isolation grade] [-k q04 -x -v ...]

grades a workspace: one item per graded part (`q04::test_doubles_each_odd_number_in_order`),
collected from the bank (`grader/checks/`) and an instructor's hidden checks, run against the
answers in workers (see PROCESSES.md). A part whose answer is still the stub's is skipped as not
started; the points are in the terminal summary; -k, -x, --lf, --junitxml and -v work as usual.
Every task of `fastquiz check` and `fastquiz grade` is a pytest session run by this plugin too
(`task.py` registers its role as the plugin `fastquiz-role`; `inline.py`, where fastquiz is
installed the entry point, registers its own for --fastquiz), so a part earns the same verdict
and points whichever way it is graded.

Loaded in every pytest run of an environment where fastquiz is installed (an entry point), the
plugin does nothing, and imports nothing of the grader, unless --fastquiz is given or a task
registered its role. Supported: pytest 8.1 and later.

Hidden checks are ordinary pytest test files in the instructor's folder: fixtures, parametrize
and markers work. A file belongs to the question its name starts with (`q04_key.py`), or each
test says which with `@pytest.mark.fastquiz(question="q04", points=2)`; a test of the older
`HiddenChecks` form (`@CHECKS.part(points=2)`) keeps its points. A part's message is the check's
own (the text of its `assert`'s message), never pytest's account of the assertion's operands:
they may hold an answer key or a multiple-choice letter.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import pytest

if TYPE_CHECKING:
    from .results import PartResult
    from .student import Student
    from .verdict import Current

CHECKS_PACKAGE = "fastquiz.grader.checks"
QUESTION_FILE = re.compile(r"([qr]\d+)_\w+\.py")
ROLE = "fastquiz-role"  # the name a role registers under: `task.TaskRole`, or `inline.Inline`


@dataclass
class State:
    """The plugin's state in one pytest session (kept in `config.stash`)."""

    checks: Path  # the bank's folder
    hidden: Path | None
    items: dict[str, list[pytest.Item]] = field(default_factory=dict)  # question id -> its parts, in order
    current: "Current | None" = None  # the answer the parts being run are graded on
    part: str = ""  # the name of the part being run
    results: dict[str, "PartResult"] = field(default_factory=dict)  # item nodeid -> its verdict
    fault: str | None = None  # a grader fault met while running a part
    anchor: pytest.Item | None = None
    replay: dict[str, list | None] = field(default_factory=dict)  # item nodeid -> the examples its first pass noted
    record: bool = False  # note and replay randomised parts' examples (a task grades many answers)
    role: Any = None  # `task.TaskRole` in a task, `inline.Inline` for `pytest --fastquiz`


STATE = pytest.StashKey[State]()
PART = pytest.StashKey[str]()  # an item's question id


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fastquiz", "fastquiz: grade a workspace of answers")
    group.addoption("--fastquiz", metavar="WORKSPACE", help="grade the answers in WORKSPACE with fastquiz's checks")
    group.addoption("--fastquiz-hidden", metavar="DIR", help="add an instructor's hidden checks from DIR")
    group.addoption("--fastquiz-isolation", choices=("check", "grade"), default="check",
                    help="grade: isolate the answers as `fastquiz grade` does (a clean process, the package's model "
                         "answers and DIR out of reach); default: as `fastquiz check` does")


def pytest_configure(config: pytest.Config) -> None:
    role = config.pluginmanager.get_plugin(ROLE)
    if role is None:
        return
    config.addinivalue_line("markers", "fastquiz(question, points): the question a hidden check belongs to, its points")
    from .system import quick_imports

    with quick_imports():  # what every check imports, before pytest collects them
        import hypothesis  # noqa: F401
        import torch  # noqa: F401

        checks = Path(importlib.import_module(CHECKS_PACKAGE).__path__[0])
    state = State(checks, Path(role.hidden).resolve() if role.hidden else None, role=role)
    config.stash[STATE] = state
    config.pluginmanager.register(StudentFixture(state), "fastquiz-student")
    config.args[:] = [str(checks), *([str(state.hidden)] if state.hidden else [])]


def _state(config: pytest.Config) -> State | None:
    return config.stash.get(STATE, None)


def pytest_report_header(config: pytest.Config) -> str | None:
    state = _state(config)
    return None if state is None else f"fastquiz: {state.role.describe()}"


# -- collection ---------------------------------------------------------------------------------
def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """The bank's folders and those above it are plain folders here: pytest does not import them as
    packages (their `__init__` is fastquiz's, imported by its own name)."""
    state = _state(parent.config)
    if state is not None and (state.checks.is_relative_to(path) or (state.hidden and state.hidden.is_relative_to(path))):
        return pytest.Dir.from_parent(parent, path=path)
    return None


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """A run of some of the questions (its role's `modules`; all when none) imports only their checks."""
    state = _state(config)
    if state is None or not state.role.modules or collection_path.parent != state.checks:
        return None
    return True if QUESTION_FILE.fullmatch(collection_path.name) and collection_path.stem not in state.role.modules else None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = _state(parent.config)
    if state is None:
        return None
    found = QUESTION_FILE.fullmatch(file_path.name)
    if file_path.parent == state.checks and found:
        module = QuestionModule.from_parent(parent, path=file_path, nodeid=found.group(1))
        module.obj = importlib.import_module(f"{CHECKS_PACKAGE}.{file_path.stem}")  # by its name, not its path
        return module
    if state.hidden and file_path.parent == state.hidden and file_path.suffix == ".py" \
            and not file_path.name.startswith(("_", "conftest")) and not parent.session.isinitpath(file_path):
        question = found.group(1) if found else ""
        return HiddenModule.from_parent(parent, path=file_path, nodeid=f"{question or 'hidden'}::{file_path.stem}")
    return None


class QuestionModule(pytest.Module):
    """A check module of the bank, imported as `fastquiz.grader.checks.<name>`."""


class HiddenModule(pytest.Module):
    """An instructor's file of hidden checks, imported by pytest as test files are."""


def group(session: pytest.Session, state: State) -> None:
    """Group the parts as finally selected (-k, --lf...: `session.items` as the run starts) by
    question, public parts first; and read the known mistakes (before a task forks others, which share them)."""
    from .diagnosis import table

    table()
    for item in session.items:
        question = question_of(item)
        if question is None:
            raise pytest.UsageError(f"{item.nodeid}: a hidden check belongs to the question its file is named after "
                                    "(q04_key.py), or says which with @pytest.mark.fastquiz(question=\"q04\")")
        item.stash[PART] = question
        setattr(item, "repr_failure", _failure_line)  # what hypothesis prints beside a failing example
        state.items.setdefault(question, []).append(item)
    for parts in state.items.values():
        parts.sort(key=lambda item: isinstance(item.parent, HiddenModule))
    state.anchor = _Anchor.from_parent(session, name="fastquiz")


def _failure_line(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    """How a part failed, in one line, where hypothesis asks for an account of a failing example
    (twice, once it has shrunk it) to print beside it. pytest's own account is a traceback, which
    reads and parses the source of every file in it (pytest's and hypothesis's included): tens of
    milliseconds a part, for words the part's verdict replaces."""
    return excinfo.exconly()


def pytest_collection_finish(session: pytest.Session) -> None:
    state = _state(session.config)
    if state is not None:
        group(session, state)


def question_of(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("fastquiz")
    if marker is not None and "question" in marker.kwargs:
        return str(marker.kwargs["question"]).lower()
    module = item.getparent(pytest.Module)
    found = QUESTION_FILE.fullmatch(module.path.name) if module is not None else None
    return found.group(1) if found else None


def points_of(item: pytest.Item) -> int:
    marker = item.get_closest_marker("fastquiz")
    if marker is not None and "points" in marker.kwargs:
        return int(marker.kwargs["points"])
    return int(getattr(getattr(item, "function", None), "fastquiz_points", 1))


def is_hidden(item: pytest.Item) -> bool:
    return isinstance(item.getparent(pytest.Module), HiddenModule)


class _Anchor(pytest.Item):
    """Never run: the `nextitem` of a question's last part, so that its teardown stops at the session
    (the session's fixtures and caches live on to the next question and the next submission)."""

    def runtest(self) -> None:
        raise AssertionError("the anchor is never run")


# -- running --------------------------------------------------------------------------------------
def pytest_runtestloop(session: pytest.Session) -> bool | None:
    state = _state(session.config)
    if state is None:
        return None
    if session.testsfailed and not session.config.option.continue_on_collection_errors:
        raise session.Interrupted(f"{session.testsfailed} error(s) while collecting the checks")
    state.role.run(session, state)
    return True


def run_question(session: pytest.Session, state: State, question: str, current: Current) -> list["PartResult"]:
    """Run a question's parts against `current`, each through pytest's own protocol; their verdicts."""
    from .protocol import GraderFault

    state.current = current
    items = state.items.get(question, [])
    results = []
    for index, item in enumerate(items):
        nextitem = items[index + 1] if index + 1 < len(items) else state.anchor
        state.part = item.name
        item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
        if state.fault is not None:
            raise GraderFault(state.fault)
        results.append(state.results.pop(item.nodeid))
        if session.shouldfail or session.shouldstop:
            break
    state.current = None
    return results


class Refusal(Exception):
    """What the `student` fixture raises instead of an answer (the question's load error, a limit an
    earlier part ran into): an Exception, which pytest keeps with the fixture as its outcome, while
    `error` may be a BaseException (the limits are, so that hypothesis never catches them)."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


class StudentFixture:
    """The `student` fixture, bound to its session's state (registered as a plugin by `pytest_configure`).
    A fixture that took `pytestconfig` instead would cost every part a fixture definition of `request`,
    which pytest builds anew each time `pytestconfig` is asked for."""

    def __init__(self, state: State):
        self.state = state

    @pytest.fixture
    def student(self) -> "Student":
        """The answer of the question being graded (see `student.Student`)."""
        current = self.state.current
        assert current is not None, "a part ran outside of grading"
        stopped = current.limit or current.refusal
        if stopped is not None:
            raise Refusal(stopped)
        assert current.student is not None, "a part ran outside of grading"
        from .diagnosis import log_for

        current.student.metrics = {}
        current.student.notes = log_for(current.student.module, self.state.part)
        return current.student


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """A part runs with its student's calls not noted for the diagnosis, and again, noted, when it
    fails: most parts pass, and their notes (fingerprints of every call's arguments, the public
    digits among them) would be thrown away. A randomised part notes its examples the first time
    it passes here, and replays them after (see `replay.py`); hypothesis's own run of a failing
    one is then the run noted."""
    state = _state(pyfuncitem.config)
    if state is None:
        return None
    randomised = hasattr(pyfuncitem.obj, "hypothesis")
    from .replay import pin_seed, replay, run_and_record

    if randomised and not state.record:  # hypothesis runs the part itself, from its pinned seed
        pin_seed(pyfuncitem.obj)
        return None
    fixtures = {name: pyfuncitem.funcargs[name] for name in _parameters(pyfuncitem.obj) if name in pyfuncitem.funcargs}
    if not randomised:
        _run_noted_on_failure(pyfuncitem.obj, fixtures, state.current)
        return True
    examples = state.replay.get(pyfuncitem.nodeid)
    if examples is None:
        state.replay[pyfuncitem.nodeid] = run_and_record(pyfuncitem.obj, fixtures)  # only once it passed
    else:
        replay(pyfuncitem.obj, examples, fixtures, _quiet_until_rerun(state.current))
    return True


@functools.cache
def _parameters(test: Callable) -> tuple[str, ...]:
    """A part's parameters, by name (read once: every submission runs every part)."""
    return tuple(inspect.signature(test).parameters)


def _run_noted_on_failure(test: Callable, fixtures: dict[str, Any], current: Current | None) -> None:
    """Run a part's body with its notes off; when it fails by an assertion or by the answer's error
    (what a diagnosis explains), run it once more with them on, where the answer's limits leave room
    (`Student.can_repeat`), and raise the first run's failure: the verdict is the first run's,
    whatever the second does."""
    from .answers import NotAttempted, StudentError, StudentLimit

    student = current.student if current is not None else None
    notes = student.notes if student is not None else None
    if student is None or notes is None:  # nothing to note
        test(**fixtures)
        return
    student.notes, spent, started = None, student.spent, time.monotonic()
    try:
        test(**fixtures)
    except (AssertionError, StudentError):
        student.notes = notes
        if student.can_repeat(student.spent - spent, time.monotonic() - started):
            try:
                test(**fixtures)
            except (Exception, NotAttempted, StudentLimit):  # noqa: BLE001 (the notes were all it was run for)
                pass
        raise
    finally:
        student.notes = notes  # for the verdict's diagnosis (see `_diagnosis`)


def _quiet_until_rerun(current: Current | None) -> Callable[[], bool]:
    """While a part's examples are replayed, its student's calls are not noted for the diagnosis:
    when one fails, hypothesis runs the part again from the first example and makes every call
    again, noted then (most parts pass, and their notes would be thrown away). What `replay` asks
    after a failure: whether the part can be run again, with its notes back on."""
    student = current.student if current is not None else None
    if student is None:
        return lambda: True
    notes, student.notes = student.notes, None

    def rerunnable() -> bool:
        student.notes = notes
        return student.worker.running

    return rerunnable


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Each part's verdict, from how its setup or call ended; the report says it in those words.
    pytest makes the report seeing no exception, so that it formats no traceback for the verdict
    to replace (see `_failure_line`: for an answer that fails to load, every part's setup)."""
    state = _state(item.config)
    if state is None or PART not in item.stash or call.when == "teardown" or (call.when == "setup" and not call.excinfo):
        return (yield)
    excinfo, call.excinfo = call.excinfo, None
    try:
        report = yield
    finally:
        call.excinfo = excinfo  # as it was, for what follows the report (--pdb, say)
    from .protocol import GraderFault
    from .verdict import verdict

    error = excinfo.value if excinfo is not None else None
    if isinstance(error, Refusal):
        error = error.error
    current = state.current
    assert current is not None, "a part ran outside of grading"
    part = verdict(item.name, points_of(item), is_hidden(item), error, current)
    if isinstance(error, GraderFault):
        state.fault = str(error)
    if current.student is not None:
        part.metrics = dict(current.student.metrics)
        part.diagnosis = _diagnosis(part, error, current.student)
    state.results[item.nodeid] = part
    if part.status == "passed":
        report.outcome, report.longrepr = "passed", None
    elif part.status == "not_started":
        report.outcome, report.longrepr = "skipped", (str(item.path), 0, f"Skipped: not started: {part.message}")
    else:
        report.outcome, report.longrepr = "failed", f"{part.status}: {part.message}"
    return report


def _diagnosis(part: "PartResult", error: BaseException | None, student: "Student") -> str | None:
    """The known mistake a part that failed by an assertion of its check, or by an error of the answer's
    code, behaves like, in words; None otherwise (a limit, a part that passed, one with no known calls)."""
    from .diagnosis import of_failure
    from .results import ERROR, FAILED

    notes, student.notes = student.notes, None
    if notes is None or part.status not in (FAILED, ERROR):
        return None
    return of_failure(student.module, part.name, error, notes.calls)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    state = _state(terminalreporter.config)
    if state is not None:
        state.role.summary(terminalreporter.write_line)


Reporter = Callable[[str], None]
