"""Checks for research task 1: the student's own Learner, judged by the model it trains.

The student's Learner runs in the student's process. What it does to the model comes back
through the model's state (its parameters and buffers); `probes.Probe` writes down, in
buffers, the mode and gradient setting of every call it gets, and `probes.CountingLoss`
and `probes.CountingSGD` count their calls the same way.
"""
import torch
from torch import nn

from ..probes import CountingLoss, CountingSGD, Phase, Probe, Tagged
from ..question import BEHAVIOUR, Question
from ._helpers import embedded_sample, fixed_order_loaders, held_out_accuracy, seed_torch, worked_out_once
from ...reference import SGD, DataLoaders, Learner, batch_accuracy, mnist_loss

QUESTION = Question(
    title="A Learner of your own",
    source="Further Research 1",
    hints=[
        "Learner: start from the chapter's train_epoch and validate_epoch. __init__ only stores its arguments (and "
        "an empty history); fit builds the optimiser with opt_func(model.parameters(), lr) and runs both passes "
        "each epoch.",
        "Learner's training pass: model.train(); per batch loss_func(model(xb), yb), backward(), opt.step(), "
        "opt.zero_grad(). Validation pass: model.eval() and `with torch.no_grad():`, summing loss and metrics "
        "weighted by len(yb); then history.append({...}). `self.metrics = list(metrics or [])` takes None too.",
    ],
    time_limit=30,
    sends=("fastquiz.reference.dataloader", "fastquiz.reference.optim", "fastquiz.reference.linear",
           "fastquiz.grader.probes"),  # the loaders, optimiser, loss and probes its checks hand to the answer
)


def error_rate(preds, targets):
    """A second metric, so that a Learner which only knows batch_accuracy shows (it runs here, called back)."""
    return 1 - batch_accuracy(preds, targets)


def _dls(seed: int | None = 4, batch_size: int = 256) -> DataLoaders:
    sample = embedded_sample()
    return DataLoaders.from_tensors(sample.xy("train"), sample.xy("valid"), batch_size=batch_size, seed=seed)


def _fit(student, dls, model, n_epoch, lr, opt_func=SGD, loss_func=mnist_loss, metrics=(batch_accuracy,)):
    learn = student.cls("Learner")(dls, model, opt_func, loss_func, None if metrics is None else list(metrics))
    learn.fit(n_epoch, lr)
    return learn  # `model` is the grader's: the student's process sends the trained state back


def _valid_numbers(model) -> tuple[float, float]:
    x, y = embedded_sample().xy("valid")
    with torch.no_grad():
        preds = model(x)
        return mnist_loss(preds, y).item(), batch_accuracy(preds, y).item()


@worked_out_once
def _chapters_fit() -> tuple[nn.Linear, nn.Linear]:
    """A linear model as seed 5 starts it, and a copy of it after the chapter's Learner's fit(2, 0.5) on the
    batches of `fixed_order_loaders(seed=5)`."""
    seed_torch(5)
    model, expected = nn.Linear(28 * 28, 1), nn.Linear(28 * 28, 1)
    expected.load_state_dict(model.state_dict())
    Learner(fixed_order_loaders(seed=5), expected, SGD, mnist_loss, batch_accuracy).fit(2, 0.5)
    return model, expected


@QUESTION.part(points=3, kind=BEHAVIOUR)
def test_fit_trains_the_model_it_was_given(student):
    """Graded: "how well the model your Learner trains tells apart 3s and 7s it never saw". Rule: "the PyTorch module
    to train (train this very object, not a copy)"."""
    seed_torch(4)
    model = nn.Linear(28 * 28, 1)
    start = model.weight.detach().clone()
    _fit(student, _dls(), model, 10, 1.0)
    assert not torch.equal(model.weight.detach(), start), \
        "after fit(10, 1.0) the model's weights are unchanged: train the model the Learner was given, with opt.step()"
    accuracy = held_out_accuracy(model)
    assert accuracy >= 0.93, (
        f"after fit(10, 1.0) with the chapter's SGD and mnist_loss the model classifies {accuracy:.0%} of 100 digits "
        "it never saw correctly, expected at least 93%"
    )


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_each_step_is_the_chapters_training_step(student):
    """Graded: "its parameters after two epochs in a fixed batch order, against the chapter's loop". Rule: "for each
    batch, predict, compute the loss, compute the gradients, take an optimiser step, and reset the gradients"."""
    model, expected = _chapters_fit()
    _fit(student, fixed_order_loaders(seed=5), model, 2, 0.5)
    for name in ("weight", "bias"):
        got, want = getattr(model, name).detach(), getattr(expected, name).detach()
        assert torch.allclose(got, want, rtol=1e-3, atol=1e-4), (
            f"after fit(2, 0.5) on batches in a fixed order, the model's {name} differs from the chapter's loop: "
            "each batch needs exactly one loss, backward, opt.step() and opt.zero_grad()"
        )


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_trains_in_training_mode_and_validates_without_gradients(student):
    """Graded: "the model's mode and gradient setting in each pass". Rules: "a training pass over `dls.train`, with
    the model in training mode", "a validation pass over `dls.valid`, without tracking gradients"."""
    phase = Phase()
    dls = _dls()
    tagged = DataLoaders(Tagged(dls.train, phase, False), Tagged(dls.valid, phase, True))
    seed_torch(6)
    probe = Probe(nn.Linear(28 * 28, 1), phase)
    _fit(student, tagged, probe, 3, 1.0)
    calls = probe.calls[:min(int(probe.n_calls), len(probe.calls))]
    train, valid = calls[calls[:, 0] == 0], calls[calls[:, 0] == 1]
    assert len(train) >= 3 * len(dls.train), \
        f"over 3 epochs the model was called on {len(train)} training batches, expected every batch of dls.train each epoch"
    assert len(valid) >= 3 * len(dls.valid), \
        f"over 3 epochs the model was called on {len(valid)} validation batches, expected every batch of dls.valid each epoch"
    assert bool(train[:, 1].all()), \
        "some training batches ran with the model in evaluation mode: call model.train() before each training pass"
    assert bool(train[:, 2].all()), "some training batches ran without gradients: only validation should turn them off"
    assert not bool(valid[:, 2].any()), \
        "validation batches ran with gradients tracked: wrap the validation pass in torch.no_grad()"


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_history_records_each_epoch(student):
    """Graded: "your history, with metrics or none, over one fit or several". Rules: "appends to `self.history` (a
    list, empty before the first fit) one dict", "or None for none", "as plain numbers"."""
    seed_torch(7)
    model = nn.Linear(28 * 28, 1)
    learn = student.cls("Learner")(_dls(), model, SGD, mnist_loss, [batch_accuracy, error_rate])
    before = learn.history
    assert isinstance(before, list) and not before, \
        f"before the first fit, history should be an empty list, got {before!r}"
    learn.fit(3, 1.0)
    history = learn.history
    assert isinstance(history, list), f"history should be a list, got {getattr(history, 'type_name', type(history).__name__)}"
    assert len(history) == 3, f"after fit(3, ...) history has {len(history)} entries, expected one per epoch"
    keys = {"train_loss", "valid_loss", "batch_accuracy", "error_rate"}
    for epoch in history:
        assert isinstance(epoch, dict) and keys <= set(epoch), \
            f"each entry of history should be a dict with the keys {sorted(keys)} (one per metric, by its __name__)"
    try:
        numbers = [{k: float(epoch[k]) for k in keys} for epoch in history]
    except (TypeError, ValueError, RuntimeError):
        raise AssertionError("history's losses and metrics should be plain numbers (use .item())") from None
    assert numbers[-1]["train_loss"] < numbers[0]["train_loss"], \
        "the training loss in history does not go down from the first epoch to the last"
    loss, accuracy = _valid_numbers(model)
    for key, value in [("valid_loss", loss), ("batch_accuracy", accuracy), ("error_rate", 1 - accuracy)]:
        assert abs(numbers[-1][key] - value) < 1e-4, (
            f"history's last {key} is {numbers[-1][key]:.4f}, but the trained model gets {value:.4f} "
            "on the validation set"
        )
    learn.fit(1, 1.0)
    assert len(learn.history) == 4, (
        f"after fit(3, ...) then fit(1, ...) history has {len(learn.history)} entries, expected 4: each fit appends "
        "its epochs to the same history")
    plain = _fit(student, _dls(), nn.Linear(28 * 28, 1), 1, 1.0, metrics=None)
    keys = set(plain.history[-1]) if isinstance(plain.history, list) and plain.history else set()
    assert keys == {"train_loss", "valid_loss"}, (
        f"with metrics=None, history's entries have the keys {sorted(keys)}, expected only train_loss and valid_loss")


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_uses_the_optimiser_and_loss_it_was_given(student):
    """Graded: "that the Learner uses the optimiser and loss it was given". Rule: "`fit(n_epoch, lr)` builds the
    optimiser once from the model's parameters and `lr`"."""
    phase = Phase()
    seed_torch(8)
    probe = Probe(nn.Linear(28 * 28, 1), phase)
    dls = _dls()
    _fit(student, dls, probe, 2, 0.7, opt_func=CountingSGD(probe, SGD), loss_func=CountingLoss(probe, mnist_loss))
    assert int(probe.opt_calls) == 1, \
        f"fit(2, 0.7) called opt_func {int(probe.opt_calls)} times: build the optimiser once per fit with opt_func"
    assert abs(float(probe.opt_lr) - 0.7) < 1e-6, \
        f"fit(2, 0.7) built the optimiser with lr={float(probe.opt_lr):g}: pass fit's lr to opt_func"
    needed = 2 * (len(dls.train) + len(dls.valid))
    assert int(probe.loss_calls) >= needed, (
        f"fit(2, ...) called loss_func {int(probe.loss_calls)} times, expected once per training and per "
        f"validation batch ({needed}): use the loss the Learner was given"
    )
