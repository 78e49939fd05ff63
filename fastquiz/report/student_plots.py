"""The report's plots of the student's own code, each run in a grader worker (`Student`).

The report process never imports a student's file: every call goes to a worker forked for
the occasion, with a time limit, and closed afterwards. Only plain values come back
(tensors, lists, numbers; a trained model stays in the worker as a `Remote`). When a
question is not started, or its code fails, its plot becomes a one-line note.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable, TypeVar

import numpy as np
import torch
from torch import nn

from ..figures import png_uri
from ..grader.checks._helpers import ten_digits
from ..grader.question import read_question, resolve
from ..grader.results import NOT_STARTED
from ..grader.runner import answer
from ..grader.student import NotAttempted, Remote, Student, StudentError, StudentLimit
from ..grader.wire import FigureData
from ..reference import SGD, DataLoaders, MnistSample, batch_accuracy, load_mnist_sample, mnist_loss, sigmoid
from . import plots

TIME_LIMIT = 20.0  # CPU seconds for all the calls of one worker
SEED = 0
EPOCHS, LR = 10, 1.0  # the chapter's linear model: about 97% on the embedded 3s and 7s
MAX_WRONG = 24  # misclassified digits shown in the grid
MAX_PNG = 2 << 20  # bytes: a figure of the student's that is larger is left out
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

T = TypeVar("T")


@dataclass(frozen=True)
class Plot:
    """One figure of the report: a PNG `data:` URI, or a note that says why there is none."""

    title: str
    caption: str
    image: str | None = None
    note: str | None = None


class _Unavailable(Exception):
    """The student's code can't give this plot; the message is the note shown instead."""


def draw_student_plots(workspace: Path, statuses: dict[str, str],
                       metrics: dict[str, dict[str, float]] | None = None) -> list[Plot]:
    """Every plot drawn from the student's answers; `statuses` maps question ids to their status, `metrics` to
    what their grading measured (r2's held-out accuracy is the one figure the report gives for it)."""
    answers = _Answers(Path(workspace), statuses)
    return [*_question_plots(answers, "q21"), *_question_plots(answers, "q34"), _mean_digits(answers),
            _training(answers), *_ten_digits(answers, (metrics or {}).get("r2", {}))]


def question_plots(workspace: Path, question_id: str, status: str) -> list[Plot]:
    """The plots of one question's answer alone (q21's and q34's; none for the others), for a notebook cell."""
    return _question_plots(_Answers(Path(workspace), {question_id: status}), question_id)


def _question_plots(answers: "_Answers", question_id: str) -> list[Plot]:
    """A question's activation function over the reference, then the figure its own code draws."""
    curves = {"q21": (_sigmoid, "plot_sigmoid"), "q34": (_relu, "plot_relu")}
    if question_id not in curves:
        return []
    curve, figure = curves[question_id]
    return [curve(answers), _own_figure(answers, question_id, figure)]


class _Answers:
    """Runs the student's answer to a question in a fresh worker."""

    def __init__(self, workspace: Path, statuses: dict[str, str]):
        self.workspace, self.statuses = workspace, statuses

    def run(self, question_id: str, use: Callable[[Student], T], time_limit: float = TIME_LIMIT) -> T:
        """`use(student)` on a worker for the question's file; _Unavailable with a note when that can't work."""
        if self.statuses.get(question_id) == NOT_STARTED:
            raise _Unavailable(f"{question_id}: not started yet")
        (module,) = resolve([question_id])
        torch.manual_seed(SEED)  # the worker seeds its generators the same way when it loads the answer
        try:
            with answer(self.workspace / f"{module}.py", time_limit, png=True) as student:
                return use(student)
        except NotAttempted as error:
            raise _Unavailable(f"{question_id}: not written yet ({_first_line(error)})") from None
        except StudentLimit as error:
            raise _Unavailable(f"{question_id}: your code {_first_line(error)}") from None
        except (StudentError, _Unavailable) as error:
            raise _Unavailable(f"{question_id}: {_first_line(error)}") from None
        except Exception as error:  # noqa: BLE001 (whatever the student's code did, the report goes on)
            raise _Unavailable(f"{question_id}: {type(error).__name__}: {_first_line(error)}") from None


def _curve(answers: _Answers, question_id: str, name: str, x: torch.Tensor, reference: torch.Tensor,
           title: str, caption: str) -> Plot:
    """The student's activation function `name` on `x`, drawn over the reference curve."""
    try:
        yours = answers.run(question_id, lambda s: _array(s.function(name)(x.clone()), f"{name}(x)", x.shape))
    except _Unavailable as why:
        return Plot(title, caption, note=str(why))
    return Plot(title, caption, plots.curve_over_reference(x.numpy(), yours, reference.numpy(), name))


def _sigmoid(answers: _Answers) -> Plot:
    x = torch.linspace(-6, 6, 121)
    return _curve(answers, "q21", "sigmoid", x, sigmoid(x), "Your sigmoid (q21)",
                  "Your sigmoid on 121 points from -6 to 6, drawn over the chapter's 1 / (1 + e^(-x)).")


def _relu(answers: _Answers) -> Plot:
    x = torch.linspace(-2, 2, 101)
    return _curve(answers, "q34", "relu", x, x.clamp(min=0), "Your ReLU (q34)",
                  "Your relu on 101 points from -2 to 2, drawn over max(x, 0).")


def _own_figure(answers: _Answers, question_id: str, name: str) -> Plot:
    """The Figure that the student's `name()` returns, as their code drew it (the worker renders it)."""
    title, caption = f"Your {name}() ({question_id})", f"The figure your {name}() returns, as your code drew it."

    def png(student: Student) -> bytes:
        figure = student.function(name)()
        if not isinstance(figure, FigureData):
            kind = getattr(figure, "type_name", type(figure).__name__)
            raise _Unavailable(f"{name}() should return a matplotlib Figure, got {kind}")
        if len(figure.png) > MAX_PNG or not figure.png.startswith(PNG_SIGNATURE):
            raise _Unavailable(f"{name}()'s figure is not a PNG of at most {MAX_PNG >> 20} MB")
        return figure.png

    try:
        return Plot(title, caption, png_uri(answers.run(question_id, png)))
    except _Unavailable as why:
        return Plot(title, caption, note=str(why))


def _mean_digits(answers: _Answers) -> Plot:
    title = "Your mean 3 and mean 7 (q03)"
    caption = ("Your mean_digit of the 400 embedded training 3s and of the 400 training 7s: the two "
               "'ideal' digits that pixel similarity measures every image against.")

    def means(student: Student) -> list[np.ndarray]:
        mean_digit = student.function("mean_digit")
        return [_array(mean_digit(images.clone()), "mean_digit's result", (28, 28))
                for images in (_sample().train_3, _sample().train_7)]

    try:
        mean3, mean7 = answers.run("q03", means)
    except _Unavailable as why:
        return Plot(title, caption, note=str(why))
    return Plot(title, caption, plots.digit_images([mean3, mean7], ["your mean 3", "your mean 7"], size=2.2))


def _training(answers: _Answers) -> Plot:
    title = "Training a 3-or-7 classifier (r1, else q33)"
    caption = (f"nn.Linear(784, 1) trained for {EPOCHS} epochs, lr {LR:g}, with SGD and mnist_loss, "
               "on the 800 embedded training 3s and 7s; accuracy on the 200 validation digits.")
    try:
        losses, accuracy = answers.run("r1", _learner_history)
    except _Unavailable as no_learner:
        try:
            losses, accuracy = answers.run("q33", _loop_history)
        except _Unavailable as no_loop:
            return Plot(title, caption, note=f"{no_learner}; {no_loop}")
        caption = f"Your q33 train_model, one epoch at a time, in place of your r1 Learner ({no_learner}). {caption}"
    else:
        caption = f"Your Learner's history. {caption}"
    return Plot(title, caption, plots.training_curves(losses, accuracy))


@cache
def _sample() -> MnistSample:
    return load_mnist_sample()


def _dls() -> DataLoaders:
    return DataLoaders.from_tensors(_sample().xy("train"), _sample().xy("valid"))


def _learner_history(student: Student) -> tuple[dict[str, list[float]], list[float]]:
    learn = student.cls("Learner")(_dls(), nn.Linear(28 * 28, 1), SGD, mnist_loss, [batch_accuracy])
    learn.fit(EPOCHS, LR)
    history = learn.history
    if not isinstance(history, list) or len(history) != EPOCHS:
        raise _Unavailable(f"after fit({EPOCHS}, {LR:g}) history should be a list of {EPOCHS} dicts")
    names = {"training loss": "train_loss", "validation loss": "valid_loss", "accuracy": "batch_accuracy"}
    try:
        columns = {label: [float(epoch[key]) for epoch in history] for label, key in names.items()}
    except (TypeError, ValueError, KeyError, RuntimeError):
        raise _Unavailable(f"history's entries should be dicts of numbers with the keys {sorted(names.values())}")
    accuracy = columns.pop("accuracy")
    return columns, accuracy


def _loop_history(student: Student) -> tuple[dict[str, list[float]], list[float]]:
    train_model = student.function("train_model")
    model, dls = nn.Linear(28 * 28, 1), _dls()
    (train_x, train_y), (valid_x, valid_y) = _sample().xy("train"), _sample().xy("valid")
    losses: dict[str, list[float]] = {"training loss": [], "validation loss": []}
    accuracy = []
    for _ in range(EPOCHS):
        train_model(model, dls, 1, LR)  # the model comes back trained: the worker syncs its state
        with torch.no_grad():
            losses["training loss"].append(mnist_loss(model(train_x), train_y).item())
            preds = model(valid_x)
            losses["validation loss"].append(mnist_loss(preds, valid_y).item())
            accuracy.append(batch_accuracy(preds, valid_y).item())
    return losses, accuracy


def _ten_digits(answers: _Answers, graded: dict[str, float]) -> tuple[Plot, Plot]:
    """r2's model on the digits its grading judged it on (`ten_digits`): trained again here, in a worker, on the
    same training digits, so the matrix shows what the graded accuracy counted. The accuracy given is the graded
    one; a training that is not repeatable (unseeded) can draw a matrix that differs, and the caption says so."""
    matrix_title, wrong_title = "Confusion matrix of your ten-digit model (r2)", "Digits your model gets wrong (r2)"
    digits = ten_digits()
    judged = digits.judged_labels.numpy()
    where = "the full MNIST's testing folder" if digits.full else "digits held out from the embedded ones"
    caption = (f"Your train_ten_digits, trained on {len(digits.train_labels):,} training digits and judged, as in "
               f"grading, on {len(judged):,} it never saw ({where})")

    def predict(student: Student) -> np.ndarray:
        model = student.function("train_ten_digits")(digits.train_images.clone(), digits.train_labels.clone())
        if not isinstance(model, Remote):
            raise _Unavailable(f"train_ten_digits should return the trained model, got {type(model).__name__}")
        if student.isinstance(model, "torch.nn.Module"):
            model.eval()
        x = digits.judged_images.reshape(-1, 28 * 28)
        logits = [_array(model(chunk.clone()), "the model's output", (len(chunk), 10)) for chunk in x.split(2000)]
        return np.concatenate(logits).argmax(axis=1)

    try:
        preds = answers.run("r2", predict, read_question(resolve(["r2"])[0]).time_limit)
    except _Unavailable as why:
        return Plot(matrix_title, caption + ".", note=str(why)), Plot(wrong_title, caption + ".", note=str(why))
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (judged, preds), 1)
    wrong = np.flatnonzero(preds != judged)
    drawn = 1 - len(wrong) / len(judged)
    accuracy = graded.get("held_out_accuracy")
    if accuracy is None:
        score = f"{drawn:.1%} right"
    elif abs(accuracy - drawn) < 0.5 / len(judged):
        score = f"{accuracy:.1%} right, as graded"
    else:
        score = (f"{accuracy:.1%} right as graded; this drawing's own run of your training got {drawn:.1%}, so your "
                 "training is not repeatable (seed it)")
    matrix_plot = Plot(matrix_title, f"{caption}: {score}. Row: the true digit; column: the model's answer.",
                       plots.confusion_matrix(matrix))
    if not len(wrong):
        return matrix_plot, Plot(wrong_title, caption + ".", note="r2: your model gets every one of them right")
    shown = wrong[np.unique(np.linspace(0, len(wrong) - 1, MAX_WRONG).astype(int))]  # spread over the digits
    grid = plots.digit_images([digits.judged_images[i].numpy() for i in shown],
                              [f"{judged[i]} → {preds[i]}" for i in shown], columns=6)
    return matrix_plot, Plot(wrong_title, f"{len(shown)} of the {len(wrong)} digits your model gets wrong, each "
                                          "titled: true digit → your model's answer.", grid)


def _array(value: Any, what: str, shape: tuple[int, ...]) -> np.ndarray:
    """A returned tensor, array or list as a float array of the expected shape; _Unavailable otherwise."""
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().double().numpy()
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        kind = getattr(value, "type_name", type(value).__name__)
        raise _Unavailable(f"{what} should be a tensor, got {kind}") from None
    if array.shape != tuple(shape):
        raise _Unavailable(f"{what} has shape {array.shape}, expected {tuple(shape)}")
    if not np.isfinite(array).all():
        raise _Unavailable(f"{what} holds nan or inf values")
    return array


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
