"""Checks for question 32: build a Learner with the right pieces, and name what it needs."""
import torch
from torch import nn

from ..question import BEHAVIOUR, VALUE, Question
from ..student import Remote, StudentError, describe
from ._helpers import embedded_sample, held_out_accuracy, kind, seed_torch
from ...reference import SGD, DataLoaders, Learner, batch_accuracy, mnist_loss

QUESTION = Question(
    title="What Learner needs",
    source=32,
    hints=[
        "make_learner and LEARNER_NEEDS: Learner gets everything the training loop uses that fit(n_epoch, lr) does "
        "not: where the data comes from, what is trained, how to step, what to minimise, what to report.",
        "make_learner returns `Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)`: "
        "the optimiser is passed as a function (not built yet), and the learning rate goes to fit. LEARNER_NEEDS: "
        "the data, the model, the optimiser function, the loss function, and the metrics if you like.",
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


def _dls() -> DataLoaders:
    """The embedded 3s and 7s in seeded batches. The validation labels are flipped on purpose: a Learner that only
    measures on them is unaffected, one that trains on them learns the opposite. The model is judged on digits
    outside the loaders."""
    sample = embedded_sample()
    x_valid, y_valid = sample.xy("valid")
    return DataLoaders.from_tensors(sample.xy("train"), (x_valid, 1 - y_valid), batch_size=256, seed=1)


def _fitted(student, epochs=5, lr=1.0):
    """The student's Learner after `fit(epochs, lr)`, the model it trained (the grader's: the student's process sends
    its trained state back), and the model's state before fit."""
    seed_torch(1)
    model = nn.Linear(28 * 28, 1)
    start = {name: value.clone() for name, value in model.state_dict().items()}
    learn = student.function("make_learner")(_dls(), model)
    is_learner = isinstance(learn, Remote) and student.isinstance(learn, f"{Learner.__module__}.Learner")
    assert is_learner, f"make_learner should return a fastquiz.reference.Learner, got {kind(learn)}"
    assert all(torch.equal(value, start[name]) for name, value in model.state_dict().items()), (
        "make_learner already trained the model before returning the Learner: leave training to fit, which the "
        "check calls")
    try:
        learn.fit(epochs, lr)
    except Exception as error:  # noqa: BLE001 (a bad argument only fails once fit uses it)
        detail = str(error) if isinstance(error, StudentError) else describe(error)
        raise AssertionError(
            f"learn.fit({epochs}, {lr}) failed with {detail}: check what you passed as the "
            "optimiser function (a function that builds the optimiser), the loss and the metrics"
        ) from None
    return learn, model, start


def _accuracy(model) -> float:
    """The accuracy on the validation set the Learner was given (labels flipped, see `_dls`)."""
    x, y = embedded_sample().xy("valid")
    with torch.no_grad():
        return batch_accuracy(model(x), 1 - y).item()


@QUESTION.part(points=3, kind=BEHAVIOUR)
def test_the_learner_trains_the_model(student):
    """Graded: "how well the model your Learner trains tells apart 3s and 7s it never saw, with make_learner leaving
    the training to fit". Rules: "return a `Learner` that trains `model` on the DataLoaders `dls`", "Don't call
    `fit` yourself"."""
    _, model, _ = _fitted(student)
    accuracy = held_out_accuracy(model)
    assert accuracy >= 0.9, (
        f"after learn.fit(5, 1.0) the model gets {accuracy:.0%} of 100 3s and 7s it never saw right, expected at "
        "least 90%: does the Learner train the model it was given, on dls.train, with a loss SGD can follow?"
    )


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_the_learner_reports_accuracy_each_epoch(student):
    """Graded: "the accuracy it reports each epoch". Rule: "reports the chapter's accuracy (`batch_accuracy`) after
    each epoch"."""
    learn, model, _ = _fitted(student, epochs=2)
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


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_the_learner_trains_with_the_chapters_sgd_and_loss(student):
    """Graded: "that it trains with the chapter's SGD and mnist_loss". Rule: "with the chapter's plain SGD (`SGD`),
    the chapter's loss (`mnist_loss`)"."""
    learn, model, start = _fitted(student, epochs=1)
    x, y = embedded_sample().xy("valid")
    with torch.no_grad():
        loss = mnist_loss(model(x), 1 - y).item()
    recorded = learn.recorder.values[-1][1]
    assert abs(recorded - loss) < 1e-4, (
        f"the Learner reports a validation loss of {recorded:.4f}, but mnist_loss of the trained model on the "
        f"validation set is {loss:.4f}: pass loss_func=mnist_loss")
    twin = nn.Linear(28 * 28, 1)
    twin.load_state_dict(start)
    Learner(_dls(), twin, SGD, mnist_loss, batch_accuracy).fit(1, 1.0)
    assert all(torch.allclose(got.detach(), want.detach(), rtol=1e-3, atol=1e-5)
               for got, want in zip(model.parameters(), twin.parameters())), (
        "after learn.fit(1, 1.0) the model is not where the chapter's SGD takes it from the same start and batches: "
        "pass opt_func=SGD, the function that builds the chapter's optimiser")


@QUESTION.part(points=1, kind=VALUE)
def test_names_what_learner_needs(student):
    """Graded: "your set". Rule: "the set of things you give `Learner` itself when you create it"."""
    answer = _phrases(student, student.value("LEARNER_NEEDS"))
    chosen = {str(a).strip().lower().replace("optimizer", "optimiser") for a in answer}
    unknown = sorted(chosen - CHOICES)
    assert not unknown, f"LEARNER_NEEDS has {unknown}, which are not in CHOICES: spell them as in CHOICES"
    wrong = sorted(chosen - NEEDED - OPTIONAL)
    assert not wrong, f"LEARNER_NEEDS should not list {wrong}: " + "; ".join(ELSEWHERE[w] for w in wrong)
    missing = NEEDED - chosen
    assert not missing, f"LEARNER_NEEDS misses {len(missing)} thing(s) that Learner cannot train without"
