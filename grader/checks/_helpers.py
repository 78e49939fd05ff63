"""Small tools the checks share: comparing tensors, reading plots, reading code, embedded data."""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from functools import cache, lru_cache, wraps
from typing import Any, Callable, TypeVar

import numpy as np
import torch

from ...datasets import describe_mnist, mnist_for_grading
from ...reference import DataLoader, DataLoaders, MnistSample, batch_accuracy, load_mnist_digits, load_mnist_sample
from ...reference.data import _held_out, load_mnist
from ..wire import FigureData
from ._source import assert_given_unchanged


Computation = TypeVar("Computation", bound=Callable[..., Any])


def worked_out_once(computation: Computation) -> Computation:
    """A check's own computation (the reference's run, the inputs it builds) that depends on its
    arguments alone, each a number, text, a flag or a function: worked out once per task and kept.
    A run hands a part the same inputs for every submission (a randomised part's drawn examples are
    replayed), so grading one more submission costs no reference run again. Every call returns
    copies of the tensors and modules kept: nothing a check or an answer does to what it is given
    (an answer's in-place changes are copied back into the check's tensors) reaches the grading
    of a later submission. What it does besides (seeding torch's generator, drawing from it) is
    done the first time only: code after a call must not count on it."""
    kept = lru_cache(maxsize=256, typed=True)(computation)  # bounded: shrinking a failure draws new inputs

    @wraps(computation)
    def copied(*args: Any, **kwargs: Any) -> Any:
        return _copy(kept(*args, **kwargs))

    return copied  # type: ignore[return-value]


def _copy(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value  # nothing can change it
    if isinstance(value, torch.Tensor):  # without its history (deepcopy refuses a tensor that has one)
        return value.detach().clone().requires_grad_(value.requires_grad)
    if type(value) in (list, tuple):
        return type(value)(_copy(item) for item in value)
    if type(value) is dict:
        return {key: _copy(item) for key, item in value.items()}
    return copy.deepcopy(value)  # a module, an array, anything else that could be changed in place


def seed_torch(number: int) -> None:
    """Seed the generator torch draws from on the CPU, where the checks build what they send (an
    `nn.Linear`'s first weights): `torch.manual_seed` would also queue the seed, with a formatted
    stack trace, for a GPU the checks never use (milliseconds a call, in every example)."""
    torch.default_generator.manual_seed(number)


def kind(value) -> str:
    """What a value is, in the student's terms: its type's name, also for an object that stayed in the
    student's process (a model, an instance of their class) or a figure, which carry a `type_name`."""
    return getattr(value, "type_name", None) or type(value).__name__


def to_tensor(value, what: str) -> torch.Tensor:
    """A student's tensor, array or nested list as a float64 tensor; AssertionError if it is none of those."""
    try:
        return torch.as_tensor(np.asarray(value.detach().cpu() if isinstance(value, torch.Tensor) else value),
                               dtype=torch.float64)
    except (TypeError, ValueError, RuntimeError):
        raise AssertionError(f"{what} should be a tensor or an array, got {kind(value)}") from None


def to_number(value, name: str) -> float:
    """A single number given as an int, a float, a numpy scalar or a one-element tensor."""
    assert not isinstance(value, (bool, str)), f"{name} should be a number, got {kind(value)}"
    values = to_tensor(value, name)
    assert values.numel() == 1, f"{name} should be one number, got {values.numel()} of them"
    return values.item()


def assert_close(got, expected, what: str, rtol: float = 1e-4, atol: float = 1e-5, advice: str = "") -> None:
    """Same shape and values within tolerance. The message names `what`, then the symptom (see `difference`),
    then `advice`, which should only be given where it fits every way of failing this comparison."""
    got, expected = to_tensor(got, what), to_tensor(expected, what)
    then = f": {advice}" if advice else ""
    assert got.shape == expected.shape, f"{what} has shape {tuple(got.shape)}, expected {tuple(expected.shape)}{then}"
    # Equal values need no tolerance: `torch.equal` costs a twentieth of `allclose`, and a right answer
    # often gives the reference's very numbers (any other is still judged within the tolerance).
    if not (torch.equal(got, expected) or torch.allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)):
        raise AssertionError(f"{what} {difference(got, expected, rtol, atol)}{then}")


def difference(got: torch.Tensor, expected: torch.Tensor, rtol: float = 1e-4, atol: float = 1e-5) -> str:
    """How `got` differs from `expected` (same shape), in words: a single number is shown with the one expected;
    values that are all zero, of the opposite sign, or off by one common factor are named as such."""
    got, expected = got.double(), expected.double()
    if got.numel() == 1:
        g, e = got.item(), expected.item()
        if e and math.isclose(g, -e, rel_tol=max(rtol, 1e-6)):
            return f"is {g:.4g}, expected {e:.4g}: the right size, the opposite sign"
        far = e and g and math.isfinite(g) and not 0.5 < g / e < 2
        ratio = f" ({g / e:.3g} times the right value)" if far else ""
        return f"is {g:.4g}, expected {e:.4g}{ratio}"
    if not got.any():
        return "is all zeros, where the right values are not"
    if torch.allclose(got, -expected, rtol=rtol, atol=atol):
        return "has the right sizes but the opposite signs"
    factor = (got * expected).sum() / (expected * expected).sum()
    if expected.any() and torch.allclose(got, factor * expected, rtol=rtol, atol=atol):
        return f"is {factor.item():.3g} times the right values"
    wrong = int((~torch.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)).sum())
    worst = (got - expected).abs().nan_to_num(nan=math.inf, posinf=math.inf).max().item()
    return f"is off by up to {worst:.3g} from the right values ({wrong} of its {got.numel()} numbers differ)"


def which(got, known: dict[str, torch.Tensor], rtol: float = 1e-4, atol: float = 1e-5) -> str:
    """The advice of the one known mistake whose result `got` equals (within tolerance), "" for none: a check lists
    what some wrong formula would return on its inputs, with what to do about it, to say only advice that fits."""
    try:
        got = to_tensor(got, "the result")
    except AssertionError:
        return ""
    found = [advice for advice, wrong in known.items() if got.shape == to_tensor(wrong, "a known result").shape
             and torch.allclose(got, to_tensor(wrong, "a known result"), rtol=rtol, atol=atol)]
    return found[0] if len(found) == 1 else ""


def assert_choice(answer, correct: str, options: str, what: str) -> None:
    """A multiple-choice answer: one of `options` (e.g. "abcd"), compared without case."""
    answer = str(answer).strip().lower()
    assert answer in options, f"{what} should be one of {', '.join(options)}, got {answer!r}"
    assert answer == correct, f"{what}: {answer!r} is not the right choice"


def loss_gradient(student, predictions: torch.Tensor, targets: torch.Tensor, advice: str) -> torch.Tensor:
    """The gradient that the stub's given `loss_gradient` computes with the student's loss, checked
    for shape; autograd's complaint that the loss is cut off from the predictions becomes `advice`."""
    assert_given_unchanged(student, "loss_gradient")
    try:
        grad = student.function("loss_gradient")(predictions.clone(), targets.clone())
    except Exception as error:  # noqa: BLE001 (only autograd's complaints are translated; the rest goes on up)
        if "does not require grad" in str(error) or "has no attribute 'backward'" in str(error):
            raise AssertionError(advice) from None
        raise
    assert grad is not None, "loss_gradient returned None: keep the given loss_gradient as it is"
    grad = to_tensor(grad, "the loss's gradient")
    assert grad.shape == predictions.shape, (
        f"the gradient has shape {tuple(grad.shape)}, the predictions {tuple(predictions.shape)}: "
        "keep the given loss_gradient as it is")
    return grad


def line_data(figure, what: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(x, y) of every line drawn on the matplotlib Figure a student's function returned."""
    assert isinstance(figure, FigureData), \
        f"{what} should return a matplotlib Figure, got {getattr(figure, 'type_name', type(figure).__name__)}"
    assert figure.lines, f"{what} returned a Figure with no line plotted on it"
    return figure.lines


def fixed_order_loaders(seed: int, batch_size: int = 100) -> DataLoaders:
    """The embedded 3s and 7s in batches whose order a seed fixes, so that a student's training
    and the check's own reference loop see the same batches."""
    sample = embedded_sample()
    x, y = sample.xy("train")
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    return DataLoaders(DataLoader((x[order], y[order]), batch_size), DataLoader(sample.xy("valid"), batch_size))


@dataclass(frozen=True)
class TenDigits:
    """The digits research task 2 trains on and is judged on, and what they are, in words."""

    train_images: torch.Tensor
    train_labels: torch.Tensor
    judged_images: torch.Tensor  # never handed to student code before its training has returned
    judged_labels: torch.Tensor  # never handed to student code at all
    description: str
    full: bool


@cache
def ten_digits() -> TenDigits:
    """The full MNIST when it is there (see `datasets.mnist_for_grading`), else the embedded digits."""
    folder = mnist_for_grading()
    if folder is None:
        digits = load_mnist_digits()
        train = digits.train_images, digits.train_labels
    else:
        train = load_mnist(folder)
    return TenDigits(*train, *_held_out(folder), describe_mnist(folder), folder is not None)


@cache
def embedded_sample() -> MnistSample:
    """The embedded 3s and 7s (400 + 400 train, 50 + 50 valid), which student code can load too."""
    return load_mnist_sample()


@cache
def held_out_3s_and_7s() -> tuple[torch.Tensor, torch.Tensor]:
    """50 3s and 50 7s that no public function hands out, to judge the models students train:
    rows of 784 pixels, and (n, 1) labels, 1 for a 3."""
    images, labels = _held_out()
    keep = (labels == 3) | (labels == 7)
    return images[keep].reshape(-1, 28 * 28), (labels[keep] == 3).float().unsqueeze(1)


def held_out_accuracy(model) -> float:
    """The accuracy of a model of the 3s and 7s (one score per image, above 0 for a 3) on the held-out digits."""
    x, y = held_out_3s_and_7s()
    with torch.no_grad():
        return batch_accuracy(to_tensor(model(x), "the model's output").float().reshape(y.shape), y).item()
