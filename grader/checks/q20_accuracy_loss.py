"""Checks for question 20: the experiment that shows why accuracy can't be the loss: its gradient with
respect to a real model's weights is zero, and SGD with it as the loss leaves the weights where they were."""
import torch
from torch import nn

from ..probes import accuracy_as_loss
from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, embedded_sample, kind, seed_torch, to_tensor, worked_out_once
from ._source import assert_given_unchanged
from ...reference import mnist_loss

QUESTION = Question(
    title="Accuracy versus a loss SGD can follow",
    source=20,
    hints=[
        "loss_and_accuracy_gradients: for each loss, compute it from model(x), call backward(), copy "
        "model.weight.grad, and clear the gradients before the next one (backward adds to .grad). train: the loop "
        "of the chapter, with loss_func as the loss.",
        "loss_and_accuracy_gradients: `model.zero_grad(); mnist_loss(model(x), y).backward(); "
        "g1 = model.weight.grad.clone()`, the same with accuracy_as_loss for g2. train: `loss = loss_func(model(x), "
        "y); loss.backward()`, then under torch.no_grad() `p -= lr * p.grad; p.grad = None` for each parameter.",
    ],
    sends=("fastquiz.grader.probes",),  # what its checks hand to the answer to run there
)


@worked_out_once
def _setup(seed: int, n: int = 64) -> tuple[nn.Linear, torch.Tensor, torch.Tensor]:
    """The chapter's linear model with small random weights, and n real 3s and 7s."""
    x, y = embedded_sample().xy("train")
    rows = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))[:n]
    seed_torch(seed)
    model = nn.Linear(28 * 28, 1)
    with torch.no_grad():
        model.weight.mul_(0.1)
    return model, x[rows], y[rows]


def _weight_gradient(model: nn.Linear, x: torch.Tensor, y: torch.Tensor, loss_func) -> torch.Tensor:
    weight = model.weight.detach().clone().requires_grad_()
    (gradient,) = torch.autograd.grad(loss_func(x @ weight.T + model.bias.detach(), y), weight)
    return gradient


@worked_out_once
def _plain_sgd(seed: int, loss_func, lr: float, steps: int, reset: bool = True):
    """The check's own SGD on `_setup(seed)`: (its parameters after, the losses before each step, the loss after
    the last); lr < 0 climbs the loss, reset=False lets the gradients pile up."""
    model, x, y = _setup(seed)
    losses = []
    for _ in range(steps):
        loss = loss_func(model(x), y)
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
                if reset:
                    p.grad = None
        losses.append(loss.item())
    with torch.no_grad():
        last = loss_func(model(x), y).item()
    return [p.detach() for p in model.parameters()], losses, last


def _same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return all(torch.allclose(p, q, rtol=1e-4, atol=1e-6) for p, q in zip(a, b))


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_the_gradient_of_accuracy_is_zero_where_the_losss_is_not(student):
    """Graded: "your two gradients, against autograd's". Rules: "the gradient of `mnist_loss(model(x), y)` with
    respect to `model.weight`, then the gradient of `accuracy_as_loss(model(x), y)` with respect to it", "both
    computed by autograd"."""
    assert_given_unchanged(student, "accuracy_as_loss")
    model, x, y = _setup(20)
    result = student.function("loss_and_accuracy_gradients")(model, x.clone(), y.clone())
    assert isinstance(result, (tuple, list)) and len(result) == 2, \
        "loss_and_accuracy_gradients should return two tensors: the loss's gradient, then the accuracy's"
    assert result[0] is not None and result[1] is not None, (
        "loss_and_accuracy_gradients returned None for a gradient: read model.weight.grad after backward() "
        "(torch.autograd.grad gives it directly)")
    loss_gradient, accuracy_gradient = (to_tensor(r, "a gradient") for r in result)
    student.record("size of mnist_loss's gradient", loss_gradient.norm().item())
    student.record("size of accuracy_as_loss's gradient", accuracy_gradient.norm().item())
    expected = _weight_gradient(model, x, y, mnist_loss)
    assert_close(loss_gradient, expected, "the gradient of mnist_loss with respect to model.weight")
    if accuracy_gradient.shape == expected.shape and accuracy_gradient.any() \
            and torch.allclose(accuracy_gradient, expected.double(), rtol=1e-4, atol=1e-6):
        raise AssertionError("the accuracy's gradient you returned is mnist_loss's: .grad still held it when "
                             "accuracy_as_loss's backward added to it; clear the gradients between the two losses")
    assert_close(accuracy_gradient, _weight_gradient(model, x, y, accuracy_as_loss),
                 "the gradient of accuracy_as_loss with respect to model.weight")


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_sgd_on_the_loss_moves_the_weights_and_on_accuracy_leaves_them(student):
    """Graded: "what your training does to the weights with each loss, against plain SGD's". Rules: "each moving
    every parameter of `model` by `lr` times its gradient", "in place, with the gradients reset between steps",
    "Return the list of the loss values (numbers), each measured before its step"."""
    train = student.function("train")
    for loss_func, name in ((mnist_loss, "mnist_loss"), (accuracy_as_loss, "accuracy_as_loss")):
        model, x, y = _setup(21)
        call = f"train(..., {name}, lr=1.0, steps=5)"
        expected, expected_losses, last = _plain_sgd(21, loss_func, 1.0, 5)
        wrong = {"moved the parameters up the loss: subtract lr times the gradient": _plain_sgd(21, loss_func, -1.0, 5)[0],
                 "let each step use the gradients of the steps before as well: reset the gradients after each step":
                     _plain_sgd(21, loss_func, 1.0, 5, reset=False)[0]}
        bias = model.bias.detach().clone()
        losses = train(model, x.clone(), y.clone(), loss_func, 1.0, 5)
        got = [p.detach() for p in model.parameters()]
        assert isinstance(losses, (list, tuple)) and len(losses) == 5, \
            f"{call} should return a list of the 5 losses, one before each step, got {kind(losses)}"
        if not _same(got, expected):
            advice = next((text for text, params in wrong.items() if _same(got, params)), "")
            if not advice and torch.equal(got[1], bias) and not torch.equal(expected[1], bias):
                advice = "left the bias where it was: step every parameter of the model"
            assert not advice, f"{call} {advice}"
            for (pname, value), want in zip(model.named_parameters(), expected):
                assert_close(value.detach(), want, f"the model's {pname} after {call}, against plain SGD's")
        measured_after = [*expected_losses[1:], last]
        if torch.allclose(to_tensor(losses, "the losses"), torch.tensor(measured_after, dtype=torch.float64),
                          rtol=1e-4, atol=1e-6) and expected_losses != measured_after:
            raise AssertionError(f"the losses {call} returned are each measured after its step: measure each "
                                 "before its step")
        assert_close(losses, expected_losses, f"the losses {call} returned")
        student.record(f"{name}, first of 5 losses", float(losses[0]))
        student.record(f"{name}, last of 5 losses", float(losses[-1]))
        for (pname, got), want in zip(model.named_parameters(), expected):
            assert_close(got.detach(), want, f"the model's {pname} after train(..., {name}, lr=1.0, steps=5), "
                                            "against plain SGD's (p -= lr * p.grad, gradients reset each step)")
