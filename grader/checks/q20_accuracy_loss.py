"""Checks for question 20: the experiment that shows why accuracy can't be the loss: its gradient with
respect to a real model's weights is zero, and SGD with it as the loss leaves the weights where they were."""
import torch
from torch import nn

from ..probes import accuracy_as_loss
from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, embedded_sample, to_tensor
from ._source import assert_given_unchanged
from ...reference import mnist_loss

QUESTION = Question(
    title="Accuracy versus a loss SGD can follow",
    source=20,
    hints=[
        "For each loss: compute it from model(x), call backward(), copy model.weight.grad, and clear the "
        "gradients before the next one (backward adds to .grad).",
        "`model.zero_grad(); mnist_loss(model(x), y).backward(); g1 = model.weight.grad.clone()`, the same with "
        "accuracy_as_loss for g2. train: `loss = loss_func(model(x), y); loss.backward()`, then under "
        "torch.no_grad() `p -= lr * p.grad; p.grad = None` for each parameter.",
    ],
    sends=("fastquiz.grader.probes",),  # what its checks hand to the answer to run there
)


def _setup(seed: int, n: int = 64) -> tuple[nn.Linear, torch.Tensor, torch.Tensor]:
    """The chapter's linear model with small random weights, and n real 3s and 7s."""
    x, y = embedded_sample().xy("train")
    rows = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))[:n]
    torch.manual_seed(seed)
    model = nn.Linear(28 * 28, 1)
    with torch.no_grad():
        model.weight.mul_(0.1)
    return model, x[rows], y[rows]


def _weight_gradient(model: nn.Linear, x: torch.Tensor, y: torch.Tensor, loss_func) -> torch.Tensor:
    weight = model.weight.detach().clone().requires_grad_()
    (gradient,) = torch.autograd.grad(loss_func(x @ weight.T + model.bias.detach(), y), weight)
    return gradient


def _plain_sgd(model: nn.Linear, x: torch.Tensor, y: torch.Tensor, loss_func, lr: float, steps: int):
    """The check's own SGD on a copy of model: (its parameters after, the losses before each step)."""
    twin = nn.Linear(28 * 28, 1)
    twin.load_state_dict(model.state_dict())
    losses = []
    for _ in range(steps):
        loss = loss_func(twin(x), y)
        loss.backward()
        with torch.no_grad():
            for p in twin.parameters():
                p -= lr * p.grad
                p.grad = None
        losses.append(loss.item())
    return [p.detach() for p in twin.parameters()], losses


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_the_gradient_of_accuracy_is_zero_where_the_losss_is_not(student):
    assert_given_unchanged(student, "accuracy_as_loss")
    model, x, y = _setup(20)
    result = student.function("loss_and_accuracy_gradients")(model, x.clone(), y.clone())
    assert isinstance(result, (tuple, list)) and len(result) == 2, \
        "loss_and_accuracy_gradients should return two tensors: the loss's gradient, then the accuracy's"
    assert result[0] is not None and result[1] is not None, (
        "loss_and_accuracy_gradients returned None for a gradient: read model.weight.grad after backward() "
        "(torch.autograd.grad gives it directly)")
    loss_gradient, accuracy_gradient = (to_tensor(r, "a gradient") for r in result)
    assert_close(loss_gradient, _weight_gradient(model, x, y, mnist_loss),
                 "the gradient of mnist_loss with respect to model.weight")
    assert_close(accuracy_gradient, _weight_gradient(model, x, y, accuracy_as_loss),
                 "the gradient of accuracy_as_loss with respect to model.weight (backward adds to .grad: clear it "
                 "between the two losses)")


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_sgd_on_the_loss_moves_the_weights_and_on_accuracy_leaves_them(student):
    train = student.function("train")
    for loss_func, name in ((mnist_loss, "mnist_loss"), (accuracy_as_loss, "accuracy_as_loss")):
        model, x, y = _setup(21)
        expected, expected_losses = _plain_sgd(model, x, y, loss_func, 1.0, 5)
        losses = train(model, x.clone(), y.clone(), loss_func, 1.0, 5)
        assert isinstance(losses, (list, tuple)) and len(losses) == 5, \
            f"train(..., {name}, lr=1.0, steps=5) should return a list of the 5 losses, one before each step"
        assert_close(losses, expected_losses, f"the losses train(..., {name}, lr=1.0, steps=5) returned")
        for (pname, got), want in zip(model.named_parameters(), expected):
            assert_close(got.detach(), want, f"the model's {pname} after train(..., {name}, lr=1.0, steps=5), "
                                            "against plain SGD's (p -= lr * p.grad, gradients reset each step)")
