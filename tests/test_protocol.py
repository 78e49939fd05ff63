"""The grader's messages survive their one JSON frame (`protocol.encode`, `decode`) whole."""
import json
from dataclasses import asdict

import pytest

from fastquiz.grader import catalog, protocol
from fastquiz.grader.protocol import Limits, WorkerSettings

SETTINGS = WorkerSettings(folder="/tmp/w", answers={"q05_rank3_tensor": {"fastquiz.reference": ["mnist_loss"]}},
                          loadable=["fastquiz.reference"], rules=[("/usr", 1)], libraries=["matplotlib"])
LIMITS = Limits(isolate=True, hide=("/srv/key",), budget=30.0, time_limits=(("q05", 2.5),))
RESULT = {"id": "q05", "title": "A rank-3 tensor", "status": "passed",
          "parts": [{"name": "test_shape", "status": "passed", "metrics": {"loss": [0.5, 0.25]}}]}

MESSAGES = [
    protocol.RunConfig(["fastquiz.grader.checks.q05_rank3_tensor"], "/srv/hidden", LIMITS, "/tmp/run", [("/usr", 1)],
                       jobs=2, libraries=["matplotlib"]),
    protocol.Ready({"landlock": 7}, [], ["/srv/key"], {"q05": [["test_shape", 1, False]]}),  # JSON's lists
    protocol.Fork(),
    protocol.Order(3, 1, "/tmp/sub", ["q05_rank3_tensor"], [], budget=12.5),
    protocol.Reported(3, RESULT),
    protocol.Fault("the grader broke"),
    SETTINGS,
    protocol.Trial(SETTINGS, ["/usr/lib/python3/os.py"], ["/srv/key"]),
    protocol.Preflight({"landlock": 7}, [], []),
    protocol.NewClient(), protocol.Prepare(["matplotlib"]), protocol.StartWorker([]), protocol.StartTrial(),
    protocol.Started(42), protocol.StartFailed("no", busy=True), protocol.Ended(42, -9),
]


def test_every_message_is_in_the_table():
    assert {type(m).__name__ for m in MESSAGES} == set(protocol.MESSAGES)


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_a_message_comes_back_equal(message):
    assert protocol.decode(protocol.encode(message)) == message


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_a_frame_holds_what_asdict_gives(message):
    assert json.loads(protocol.encode(message)) == json.loads(json.dumps({"type": type(message).__name__,
                                                                         **asdict(message)}))


def test_what_is_not_a_message_field_is_refused():
    with pytest.raises(TypeError):
        protocol.encode(protocol.Fault(object()))  # type: ignore[arg-type]


def test_the_questions_a_run_config_carries_are_the_tasks_own_once_adopted(monkeypatch):
    """A task takes the runner's reading of the questions instead of reading every check module and
    stub again; what it adopts equals what it would have read."""
    modules = ["q05_rank3_tensor", "r1_learner_from_scratch", "q25_sgd_epoch"]
    read = catalog.questions(modules)
    config = protocol.RunConfig(modules, None, LIMITS, "/tmp/run", [], questions=catalog.describe(read))
    monkeypatch.setattr(catalog, "_known", {})
    monkeypatch.setattr(catalog, "read_question", lambda module: pytest.fail(f"{module} was read again"))
    catalog.adopt(protocol.decode(protocol.encode(config)).questions)
    assert catalog.questions(modules) == read
    assert [q.import_set for q in catalog.questions(modules)] == [q.import_set for q in read]
