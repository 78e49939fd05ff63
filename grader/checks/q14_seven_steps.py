"""Checks for question 14: the seven steps of SGD, as small functions that the student's loop calls in order.

The order is read from stand-ins: local functions of the check, which the student's `train`
calls back in the check's own process, where each call is noted down with its arguments.
"""
import re

import torch

from ..question import BEHAVIOUR, Question
from ._helpers import embedded_sample, held_out_accuracy, to_number, to_tensor

QUESTION = Question(
    title="The seven steps of SGD",
    source=14,
    hints=[
        "The weights need values before anything can be predicted; each round then needs a prediction before "
        "it can measure a loss, and a loss before it has a gradient to step with.",
        "`weights = init(x.shape[1])`, then in a loop: `l = loss(predict(weights, x), y); gradient(l); "
        "step(weights, lr)`, count the epoch, and `if stop(epochs_done, l, max_epochs): return weights`.",
    ],
    time_limit=20,
)

STEPS = ("init", "predict", "loss", "gradient", "step", "stop")
LETTERS = {"init": "i", "predict": "p", "loss": "l", "gradient": "g", "step": "s", "stop": "t"}
ROUNDS_UNTIL_STOP = 3  # the stand-in stop says yes on its third call
# A stop after each round, or a `while not stop(...)` before each: init, then rounds of predict, loss,
# gradient and step, with one stop per round, ending on the stop that said yes.
ORDERS = re.compile(rf"i(plgst){{{ROUNDS_UNTIL_STOP}}}|it(plgst){{{ROUNDS_UNTIL_STOP - 1}}}")


PARAMETERS = {"init": ("n_inputs",), "predict": ("weights", "x"), "loss": ("predictions", "y"),
              "gradient": ("loss_value",), "step": ("weights", "lr"), "stop": ("epochs_done", "loss_value", "max_epochs")}


def _stand_ins(x: torch.Tensor):
    """The check's own steps, which note each call, and hand back tagged values that show where they went."""
    calls = []
    weights, predictions, loss_value = torch.full((x.shape[1], 1), 0.125), torch.full((len(x), 1), 0.25), torch.tensor(0.5)
    returns = {"init": weights, "predict": predictions, "loss": loss_value}

    def stand_in(name: str):
        def step(*args, **kwargs):
            names = PARAMETERS[name][len(args):]
            calls.append((name, [*args, *(kwargs[n] for n in names if n in kwargs)]))
            if name == "stop":
                return sum(called == "stop" for called, _ in calls) >= ROUNDS_UNTIL_STOP
            return returns[name].clone() if name in returns else None
        return step

    return calls, tuple(stand_in(name) for name in STEPS), (weights, predictions, loss_value)


def _run_with_stand_ins(student, lr=0.5, max_epochs=50):
    x, y = embedded_sample().xy("train")
    x, y = x[:64], y[:64]
    calls, stand_ins, tagged = _stand_ins(x)
    returned = student.function("train")(x.clone(), y.clone(), lr, max_epochs, *stand_ins)
    return calls, returned, (x, y, lr, max_epochs), tagged


def _order(calls) -> str:
    return ", ".join(name for name, _ in calls[:20]) + (", ..." if len(calls) > 20 else "")


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_train_calls_the_steps_in_the_order_of_the_recipe(student):
    calls, _, _, _ = _run_with_stand_ins(student)
    letters = "".join(LETTERS[name] for name, _ in calls)
    assert calls, "train called none of the steps it was handed: use the functions passed in as arguments"
    assert letters.count("i") == 1 and letters[0] == "i", (
        f"train called: {_order(calls)}. Initialise the weights once, before anything else")
    assert "t" in letters, f"train called: {_order(calls)}, and never asked stop whether to end"
    assert ORDERS.fullmatch(letters), (
        f"train called: {_order(calls)} (stop said yes on its call number {ROUNDS_UNTIL_STOP}). Each round is "
        "predict, loss, gradient, step, in that order, with one call to stop per round, and training ends as soon "
        "as stop says so")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_train_hands_each_step_what_the_step_before_produced(student):
    calls, returned, (x, y, lr, max_epochs), (weights, predictions, loss_value) = _run_with_stand_ins(student)

    def same(value, expected) -> bool:
        try:
            return torch.equal(to_tensor(value, "an argument").float(), expected.float())
        except AssertionError:
            return False

    expected = {
        "predict": [("the weights init returned", weights), ("x", x)],
        "loss": [("the predictions", predictions), ("y", y)],
        "gradient": [("the loss", loss_value)],
        "step": [("the weights", weights), ("lr", torch.tensor(lr))],
    }
    for name, args in calls:
        for position, (what, value) in enumerate(expected.get(name, [])):
            assert position < len(args) and same(args[position], value), (
                f"train called {name} without {what} as argument {position + 1}: hand each step the result of the "
                f"one before, in the order of {name}'s parameters")
        if name == "stop":
            assert len(args) == 3 and to_number(args[2], "max_epochs") == max_epochs, \
                "train should call stop(epochs_done, loss_value, max_epochs), with the max_epochs it was given"
    counts = [to_number(args[0], "epochs_done") for name, args in calls if name == "stop"]
    assert all(b == a + 1 for a, b in zip(counts, counts[1:])), \
        f"train told stop that {counts} epochs were done, one call after another: count one epoch per round"
    assert returned is not None and same(returned, weights), "train should return the weights it trained"


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_stop_ends_when_out_of_epochs_or_good_enough(student):
    stop = student.function("stop")
    good_enough = to_number(student.value("GOOD_ENOUGH"), "GOOD_ENOUGH")
    for epochs_done, loss_value, max_epochs, expected in [
            (3, 0.4, 10, False), (10, 0.4, 10, True), (11, 0.4, 10, True), (2, good_enough / 2, 10, True),
            (0, 0.9, 1, False), (9, good_enough * 2, 10, False)]:
        for given in (loss_value, torch.tensor(loss_value)):
            got = stop(epochs_done, given, max_epochs)
            assert got is not None and bool(got) is expected, (
                f"stop({epochs_done}, {loss_value:g}, {max_epochs}) returned {got!r}, expected {expected}: end once "
                f"the epochs are used up, or once the loss is below GOOD_ENOUGH ({good_enough:g})")


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_your_steps_put_together_by_train_learn_to_tell_3s_from_7s(student):
    x, y = embedded_sample().xy("train")
    torch.manual_seed(14)
    steps = [student.function(name) for name in STEPS]
    weights = student.function("train")(x.clone(), y.clone(), 1.0, 30, *steps)
    weights = to_tensor(weights, "the weights train returned").float()
    assert weights.shape == (28 * 28, 1), f"train returned weights of shape {tuple(weights.shape)}, expected (784, 1)"
    accuracy = held_out_accuracy(lambda rows: rows @ weights)
    assert accuracy >= 0.85, (
        f"after train(x, y, 1.0, 30, ...) with your own steps, the weights tell apart {accuracy:.0%} of 100 3s and "
        "7s they never saw, expected at least 85%: check that each step does its job (step moves against the "
        "gradient and then resets it)")
