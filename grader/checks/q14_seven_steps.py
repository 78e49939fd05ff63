"""Checks for question 14: the seven steps of SGD, as small functions that the student's loop calls in order.

The order is read from stand-ins: local functions of the check, which the student's `train`
calls back in the check's own process, where each call is noted down with its arguments.
"""
import re

import torch

from ..question import BEHAVIOUR, Question
from ..student import StudentError
from ._helpers import assert_close, embedded_sample, held_out_accuracy, to_number, to_tensor
from ._source import assert_given_unchanged
from ...reference import mnist_loss

QUESTION = Question(
    title="The seven steps of SGD",
    source=14,
    hints=[
        "init: small random normal values that track their gradient, made in that order. predict, loss, gradient: "
        "the chapter's x @ weights, mnist_loss and backward(). step: move, then clear .grad. stop: two reasons to "
        "end. train: the weights need values before anything can be predicted, a prediction comes before a loss, "
        "and a loss before a gradient to step with; count the rounds as they are done.",
        "init is `(torch.randn(n_inputs, 1) * 0.01).requires_grad_()` (requires_grad_ last, on the result); step is "
        "`with torch.no_grad(): weights -= lr * weights.grad`, then `weights.grad = None`; stop is "
        "`epochs_done >= max_epochs or float(loss_value) < GOOD_ENOUGH`. train: `weights = init(x.shape[1])`, then in "
        "a loop `l = loss(predict(weights, x), y); gradient(l); step(weights, lr)`, count the epoch, and "
        "`if stop(epochs_done, l, max_epochs): return weights`.",
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


def _stand_ins(x: torch.Tensor, stop_rule=None):
    """The check's own steps, which note each call, and hand back tagged values that show where they went; their
    stop says yes on its third call, or as `stop_rule(its arguments)` says."""
    calls = []
    weights, predictions, loss_value = torch.full((x.shape[1], 1), 0.125), torch.full((len(x), 1), 0.25), torch.tensor(0.5)
    returns = {"init": weights, "predict": predictions, "loss": loss_value}

    def stand_in(name: str):
        def step(*args, **kwargs):
            names = PARAMETERS[name][len(args):]
            calls.append((name, [*args, *(kwargs[n] for n in names if n in kwargs)]))
            if name == "stop":
                if stop_rule is not None:
                    return stop_rule(calls[-1][1])
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


def _random_data(seed: int, n: int = 24, features: int = 12) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(n, features, generator=g), torch.randint(0, 2, (n, 1), generator=g).float(),
            torch.randn(features, 1, generator=g))


def _first_gradient(student, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
    """The weights init made and what landed in their .grad, through the given first_gradient."""
    assert_given_unchanged(student, "first_gradient")
    try:
        weights, grad = student.function("first_gradient")(x.clone(), y.clone())
    except StudentError as error:
        if "does not require grad" in str(error):
            raise AssertionError("backward() found nothing to differentiate: the weights init returns don't track "
                                 "their gradient; call requires_grad_() on them") from None
        raise
    return to_tensor(weights, "init's weights"), None if grad is None else to_tensor(grad, "the weights' .grad")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_init_makes_small_random_normal_weights_that_track_their_gradient(student):
    """Graded: "your init's weights". Rule: "new weights, shape `(n_inputs, 1)`, drawn at random (a normal
    distribution, times 0.01), that track their gradient"."""
    init = student.function("init")
    a, b = (to_tensor(init(20_000), "init(20000)") for _ in range(2))
    assert a.shape == (20_000, 1), f"init(20000) has shape {tuple(a.shape)}, expected (20000, 1)"
    assert not torch.equal(a, b), "two calls of init gave the same weights: draw them at random"
    spread, mean = a.std().item(), a.mean().item()
    assert abs(mean) < 0.05 * max(spread, 1e-12) and abs(spread / 0.01 - 1) < 0.05, (
        f"20,000 weights from init have a mean of {mean:.3g} and a standard deviation of {spread:.3g}: draw them "
        "from a normal distribution (mean 0, torch.randn) and multiply by 0.01")
    x, y, _ = _random_data(0)
    _, grad = _first_gradient(student, x, y)
    assert grad is not None, (
        "after gradient(), the weights init returned have no .grad: init returned the result of a calculation, "
        "not a leaf tensor; do the arithmetic first, then call requires_grad_() on the result")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_predict_loss_and_gradient_are_the_chapters(student):
    """Graded: "your predict, loss and gradient, against the chapter's". Rules: "its outputs are `x @ weights`,
    and its loss is `mnist_loss`", "it lands in the `.grad` of the weights the loss was computed from"."""
    for seed in range(3):
        x, y, weights = _random_data(seed, n=5 + 7 * seed, features=3 + seed)
        predictions = to_tensor(student.function("predict")(weights.clone(), x.clone()), "predict's result")
        assert_close(predictions, x @ weights, f"predict(weights, x) for x of shape {tuple(x.shape)}")
        scores = torch.randn(len(x), 1, generator=torch.Generator().manual_seed(seed)) * 3
        assert_close(student.function("loss")(scores.clone(), y.clone()), mnist_loss(scores, y),
                     f"loss(predictions, y) on {len(x)} random predictions")
    x, y = embedded_sample().xy("train")
    weights, grad = _first_gradient(student, x[:100], y[:100])
    assert grad is not None, "after gradient(), the weights' .grad is None: call backward() on the loss"
    expected = weights.float().clone().requires_grad_()
    mnist_loss(x[:100] @ expected, y[:100]).backward()
    assert_close(grad, expected.grad, "the gradient that landed in the weights' .grad")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_step_moves_against_the_gradient_in_place_and_resets_it(student):
    """Graded: "your step". Rule: "move the weights against their gradient by `lr` times it, in place, then reset
    their gradient for the next round"."""
    for seed, lr in ((0, 1.0), (1, 0.1), (2, 3.0)):
        g = torch.Generator().manual_seed(seed)
        before, grad = torch.randn(7, 1, generator=g), torch.randn(7, 1, generator=g)
        weights = before.clone().requires_grad_()
        weights.grad = grad.clone()
        student.function("step")(weights, lr)
        assert not torch.equal(weights.detach(), before), (
            f"step(weights, lr={lr:g}) left the weights it was given as they were: change them in place (-= inside "
            "torch.no_grad()); a new tensor made in step never reaches the caller")
        assert not torch.allclose(weights.detach(), before + lr * grad), \
            f"step(weights, lr={lr:g}) moved the weights along their gradient, uphill: subtract lr times it"
        assert_close(weights.detach(), before - lr * grad, f"after step(weights, lr={lr:g}), the weights")
        assert weights.grad is None or not weights.grad.any(), (
            "after step the weights still hold their gradient: reset it (weights.grad = None, or zero_()), or the "
            "next round's backward adds its gradient to this one")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_stop_ends_when_out_of_epochs_or_good_enough(student):
    """Graded: "your stop". Rules: "once `epochs_done` reaches `max_epochs`", "as soon as `loss_value` (a number,
    or a tensor holding one) is below `GOOD_ENOUGH`"."""
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
def test_train_calls_the_steps_in_the_order_of_the_recipe(student):
    """Graded: "the order in which your train calls the steps and what it hands each of them". Rules: "Initialise
    the weights, then repeat rounds of predict, loss, gradient and step", "Ask `stop` once per round", "using only
    the step functions it is handed"."""
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
    """Graded: "the order in which your train calls the steps and what it hands each of them". Rules: "on the
    whole of `x`", "telling it how many rounds are done: 1 after the first round (0 before it)"."""
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
    counts = [int(c) if c == int(c) else c for c in counts]
    first = 0 if len(calls) > 1 and calls[1][0] == "stop" else 1  # asked before each round, or after it
    expected_counts = list(range(first, first + len(counts)))
    assert counts == expected_counts, (
        f"train told stop that {counts} rounds were done, one call after another, where {expected_counts} were: "
        "count one per round, the rounds done when stop is asked")
    assert returned is not None and same(returned, weights), "train should return the weights it trained"


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_train_runs_max_epochs_rounds_unless_stopped_sooner(student):
    """Graded: "the number of rounds your train runs". Rule: "with `max_epochs=30` training runs 30 rounds unless
    the loss gets good enough first"."""
    x, y = embedded_sample().xy("train")
    for max_epochs in (1, 3, 7):
        calls, stand_ins, _ = _stand_ins(x[:16], stop_rule=lambda args: float(args[0]) >= float(args[2]))
        student.function("train")(x[:16].clone(), y[:16].clone(), 0.5, max_epochs, *stand_ins)
        rounds = sum(name == "step" for name, _ in calls)
        assert rounds == max_epochs, (
            f"with max_epochs={max_epochs} and a stop that ends once epochs_done reaches max_epochs, train ran "
            f"{rounds} round{'s' * (rounds != 1)}: tell stop how many rounds are done when it is asked")


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_your_steps_put_together_by_train_learn_to_tell_3s_from_7s(student):
    """Graded: "how well your own steps, put together by your train, tell apart 3s and 7s they never trained
    on"."""
    x, y = embedded_sample().xy("train")
    steps = [student.function(name) for name in STEPS]
    weights = student.function("train")(x.clone(), y.clone(), 1.0, 30, *steps)
    weights = to_tensor(weights, "the weights train returned").float()
    assert weights.shape == (28 * 28, 1), f"train returned weights of shape {tuple(weights.shape)}, expected (784, 1)"
    accuracy = held_out_accuracy(lambda rows: rows @ weights)
    assert accuracy >= 0.85, (
        f"after train(x, y, 1.0, 30, ...) with your own steps, the weights tell apart {accuracy:.0%} of 100 3s and "
        "7s they never saw, expected at least 85%")
