"""Checks for question 33: a hand-written training loop, judged on digits it never trained on."""
import torch
from torch import nn

from ..question import BEHAVIOUR, Question
from ._helpers import embedded_sample, fixed_order_loaders, held_out_accuracy, seed_torch, worked_out_once
from ...reference import DataLoaders, mnist_loss, simple_net

QUESTION = Question(
    title="The steps of a training loop",
    source=33,
    hints=[
        "train_model: for each of `epochs` epochs, every batch of dls.train goes through the same five moves: "
        "predict, measure the loss, compute the gradients, step the weights against them, reset the gradients.",
        "train_model: `for _ in range(epochs):`, then `for xb, yb in dls.train: loss = mnist_loss(model(xb), yb); "
        "loss.backward()`, then `with torch.no_grad():` and for each p in model.parameters(): `p -= lr * p.grad; "
        "p.grad.zero_()`; `return model`.",
    ],
    sends=("fastquiz.reference.dataloader",),  # the DataLoaders its checks hand to the answer
)


def _plain_sgd(model, train, epochs, lr, reset=True, loss_of=mnist_loss, lagged=False):
    """The loop the question asks for, run by the check on its own copy of the model (and its wrong twins: lr < 0
    climbs, reset=False lets the gradients pile up, lagged steps before backward, `loss_of` another loss)."""
    for _ in range(epochs):
        for xb, yb in train:
            if not lagged:
                loss_of(model(xb), yb).backward()
            with torch.no_grad():
                for p in model.parameters():
                    if p.grad is not None:
                        p -= lr * p.grad
                        if reset:
                            p.grad = None
            if lagged:
                loss_of(model(xb), yb).backward()
    return model


MODELS = {"nn.Linear(784, 1)": lambda: nn.Linear(28 * 28, 1), "simple_net(8)": lambda: simple_net(8)}


def _start(name: str) -> nn.Module:
    """The model `name` of MODELS, with the first weights seed 3 draws."""
    seed_torch(3)
    return MODELS[name]()


@worked_out_once
def _reference(name: str, epochs: int, lr: float, reset=True, lagged=False, sigmoid=False) -> nn.Module:
    """`_plain_sgd` of the model `name` from its start, on the batches of `fixed_order_loaders(seed=3)`
    (sigmoid: measuring the loss of outputs put through a sigmoid first)."""
    loss_of = (lambda preds, yb: mnist_loss(preds.sigmoid(), yb)) if sigmoid else mnist_loss
    return _plain_sgd(_start(name), fixed_order_loaders(seed=3).train, epochs, lr, reset, loss_of, lagged)


def _same(model, other) -> bool:
    return all(torch.allclose(p.detach(), q.detach(), rtol=1e-3, atol=1e-4)
               for p, q in zip(model.parameters(), other.parameters()))


def _trained(student, model, dls, epochs, lr):
    returned = student.function("train_model")(model, dls, epochs, lr)
    assert returned is model, (  # the student's process hands back the grader's own model when it is returned
        "train_model should train the model it was given, in place, and return that same model, "
        f"got {getattr(returned, 'type_name', None) or type(returned).__name__}"
    )
    return returned


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_the_trained_model_classifies_unseen_digits(student):
    """Graded: "how well the model you train tells apart 3s and 7s it never saw". Rules: "Train `model` itself (not
    a copy) and return it", "`dls.valid` is for measuring, never for training"."""
    sample = embedded_sample()
    (x_train, y_train), (x_valid, y_valid) = sample.xy("train"), sample.xy("valid")
    # The validation set the loop is handed has its labels flipped on purpose: a loop that
    # only measures on it is unaffected, one that trains on it learns the opposite.
    dls = DataLoaders.from_tensors((x_train, y_train), (x_valid, 1 - y_valid), batch_size=256, seed=2)
    seed_torch(2)
    model = nn.Linear(28 * 28, 1)
    start = [p.detach().clone() for p in model.parameters()]
    model = _trained(student, model, dls, 5, 1.0)
    assert any(not torch.equal(p.detach(), s) for p, s in zip(model.parameters(), start)), \
        "train_model left every parameter unchanged: each batch needs a step p -= lr * p.grad"
    accuracy = held_out_accuracy(model)
    assert accuracy >= 0.9, (
        f"after train_model(nn.Linear(784, 1), dls, epochs=5, lr=1.0) the model classifies {accuracy:.0%} of 100 "
        "digits it never saw correctly, expected at least 90%: step against the gradient, and train on dls.train only"
    )


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_each_step_is_plain_sgd_on_every_parameter(student):
    """Graded: "your parameters after two epochs (of a linear model and of simple_net), against plain SGD's". Rules:
    "For each epoch, go through the training batches once", "compute the chapter's loss `mnist_loss` of the model's
    predictions, get the gradients, and take one plain SGD step on every parameter of the model (`p -= lr *
    p.grad`)", "making sure each step uses only its own batch's gradient"."""
    for name, lr in (("nn.Linear(784, 1)", 0.5), ("simple_net(8)", 0.3)):
        model = _trained(student, _start(name), fixed_order_loaders(seed=3), 2, lr)
        if _same(model, _reference(name, 2, lr)):
            continue
        wrong = {
            "trained 1 epoch where 2 were asked: count the epochs with range(epochs)": _reference(name, 1, lr),
            "trained 3 epochs where 2 were asked: count the epochs with range(epochs)": _reference(name, 3, lr),
            "moved the parameters up the loss: subtract lr * p.grad": _reference(name, 2, -lr),
            "let each step use the gradients of the batches before as well: reset the gradients each step":
                _reference(name, 2, lr, reset=False),
            "took each step before backward, with the previous batch's gradient: step after loss.backward()":
                _reference(name, 2, lr, lagged=True),
            "measured the loss of outputs already put through a sigmoid: mnist_loss applies the sigmoid itself, so "
            "give it the model's raw outputs": _reference(name, 2, lr, sigmoid=True),
        }
        advice = next((text for text, twin in wrong.items() if _same(model, twin)), "") or _first_step(student, lr)
        raise AssertionError(f"after train_model({name}, dls, epochs=2, lr={lr}), the parameters differ from plain "
                             f"SGD's: your loop {advice}")


def _first_step(student, lr: float) -> str:
    """What one step of the student's loop does, on one batch of all the training digits: a move of some multiple
    of the gradient (then which one), or something else."""
    seed_torch(4)
    model = nn.Linear(28 * 28, 1)
    start = [p.detach().clone() for p in model.parameters()]
    (xb, yb), = fixed_order_loaders(seed=4, batch_size=800).train
    mnist_loss(model(xb), yb).backward()
    gradient = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
    model.zero_grad()
    _trained(student, model, fixed_order_loaders(seed=4, batch_size=800), 1, lr)
    move = torch.cat([(p.detach() - s).reshape(-1) for p, s in zip(model.parameters(), start)])
    factor = -(move @ gradient).item() / (gradient @ gradient).item()
    if torch.allclose(move, -factor * gradient, rtol=1e-3, atol=1e-6) and abs(factor - lr) > 1e-3 * lr:
        return (f"moved the parameters by {factor:.3g} times the gradient where lr={lr:g} was asked: step with the lr "
                "train_model is given")
    return "does something else than plain SGD with mnist_loss on the model's raw outputs, one step per batch"
