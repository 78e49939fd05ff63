"""Checks for question 32: build a Learner with the right pieces, and name what it needs."""
import ast

import torch
from torch import nn

from ..question import BEHAVIOUR, SOURCE, VALUE, Question
from ..student import Remote, StudentError, describe
from ._helpers import embedded_sample, held_out_accuracy
from ._source import reachable
from ...reference import DataLoaders, Learner, batch_accuracy

QUESTION = Question(
    title="What Learner needs",
    source=32,
    hints=[
        "Learner gets everything the training loop uses that fit(n_epoch, lr) does not: "
        "where the data comes from, what is trained, how to step, what to minimise, what to report.",
        "`Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)`: the "
        "optimiser is passed as a function (not built yet), and the learning rate goes to fit.",
    ],
    sends=("fastquiz.reference.dataloader",),  # the DataLoaders its checks hand to the answer
)

CHOICES = {
    "dataloaders", "model", "optimiser function", "loss function", "metrics",
    "learning rate", "number of epochs", "activation function", "gradients",
}
NEEDED = {"dataloaders", "model", "optimiser function", "loss function"}
OPTIONAL = {"metrics"}
ELSEWHERE = {
    "learning rate": "the learning rate is given to fit, not to Learner",
    "number of epochs": "the number of epochs is given to fit, not to Learner",
    "activation function": "an activation function lives inside the model",
    "gradients": "gradients are computed during training",
}


def _fitted(student, epochs=5, lr=1.0):
    sample = embedded_sample()
    torch.manual_seed(1)
    model = nn.Linear(28 * 28, 1)
    # The validation labels are flipped on purpose: a Learner that only measures on them is unaffected, one
    # that trains on them learns the opposite. The model is judged on digits outside the loaders.
    x_valid, y_valid = sample.xy("valid")
    dls = DataLoaders.from_tensors(sample.xy("train"), (x_valid, 1 - y_valid), batch_size=256, seed=1)
    learn = student.function("make_learner")(dls, model)
    is_learner = isinstance(learn, Remote) and student.isinstance(learn, f"{Learner.__module__}.Learner")
    got = getattr(learn, "type_name", None) or type(learn).__name__
    assert is_learner, f"make_learner should return a fastquiz.reference.Learner, got {got}"
    try:
        learn.fit(epochs, lr)
    except Exception as error:  # noqa: BLE001 (a bad argument only fails once fit uses it)
        detail = str(error) if isinstance(error, StudentError) else describe(error)
        raise AssertionError(
            f"learn.fit({epochs}, {lr}) failed with {detail}: check what you passed as the "
            "optimiser function (a function that builds the optimiser), the loss and the metrics"
        ) from None
    return learn, model  # the grader's model: the student's process sends its trained state back


def _accuracy(model) -> float:
    """The accuracy on the validation set the Learner was given (labels flipped, see `_fitted`)."""
    x, y = embedded_sample().xy("valid")
    with torch.no_grad():
        return batch_accuracy(model(x), 1 - y).item()


@QUESTION.part(points=3, kind=BEHAVIOUR)
def test_the_learner_trains_the_model(student):
    _, model = _fitted(student)
    accuracy = held_out_accuracy(model)
    assert accuracy >= 0.9, (
        f"after learn.fit(5, 1.0) the model gets {accuracy:.0%} of 100 3s and 7s it never saw right, expected at "
        "least 90%: does the Learner train the model it was given, on dls.train, with a loss SGD can follow?"
    )


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_the_learner_reports_accuracy_each_epoch(student):
    learn, model = _fitted(student, epochs=2)
    names = learn.recorder.metric_names
    assert names[2:] == ["batch_accuracy"], \
        f"the Learner reports {names[2:]} as metrics, expected the chapter's accuracy, batch_accuracy"
    assert len(learn.recorder.values) == 2, "the Learner should record one row per epoch"
    reported, measured = learn.recorder.values[-1][2], _accuracy(model)
    assert abs(reported - measured) < 1e-4, \
        f"the Learner reports an accuracy of {reported:.3f}, but the model gets {measured:.3f} on the validation set"


def _phrases(student, answer) -> set[str]:
    """The phrases of a list, tuple or set (a set stays in the student's process: ask it about each choice)."""
    if isinstance(answer, Remote) and answer.type_name in ("set", "frozenset"):
        if not answer.issubset(sorted(CHOICES | {"optimizer function"})):
            raise AssertionError("LEARNER_NEEDS has phrases that are not in CHOICES: spell them as in CHOICES")
        return {c for c in CHOICES | {"optimizer function"} if answer.issuperset([c])}
    if isinstance(answer, (set, frozenset, list, tuple)):
        return set(answer)
    raise AssertionError(f"LEARNER_NEEDS should be a set of phrases from CHOICES, got "
                         f"{getattr(answer, 'type_name', None) or type(answer).__name__}")


PARAMETERS = ("dls", "model", "opt_func", "loss_func", "metrics")


@QUESTION.part(points=1, kind=SOURCE)
def test_make_learner_chooses_the_optimiser_loss_and_metric(student):
    _fitted(student, epochs=1)
    code = reachable(student, "make_learner")
    calls = [n for node in code.nodes for n in ast.walk(node)
             if isinstance(n, ast.Call) and code.qualified(n.func).rsplit(".", 1)[-1] == "Learner"]
    chosen = [{"opt_func", "loss_func", "metrics"} <= set(PARAMETERS[:len(c.args)]) | {k.arg for k in c.keywords}
              for c in calls]
    assert any(chosen), (
        "make_learner should pass Learner the optimiser function, the loss and the metric it uses, by name or by "
        "position: Learner's defaults happen to be the chapter's, but choosing them is what this question is about")


@QUESTION.part(points=1, kind=VALUE)
def test_names_what_learner_needs(student):
    answer = _phrases(student, student.value("LEARNER_NEEDS"))
    chosen = {str(a).strip().lower().replace("optimizer", "optimiser") for a in answer}
    unknown = sorted(chosen - CHOICES)
    assert not unknown, f"LEARNER_NEEDS has {unknown}, which are not in CHOICES: spell them as in CHOICES"
    wrong = sorted(chosen - NEEDED - OPTIONAL)
    assert not wrong, f"LEARNER_NEEDS should not list {wrong}: " + "; ".join(ELSEWHERE[w] for w in wrong)
    missing = NEEDED - chosen
    assert not missing, f"LEARNER_NEEDS misses {len(missing)} thing(s) that Learner cannot train without"
