"""Checks for question 33: a hand-written training loop, judged on digits it never trained on."""
import torch
from torch import nn

from ..question import BEHAVIOUR, Question
from ._helpers import embedded_sample, fixed_order_loaders, held_out_accuracy
from ...reference import DataLoaders, mnist_loss, simple_net

QUESTION = Question(
    title="The steps of a training loop",
    source=33,
    hints=[
        "Every batch goes through the same five moves: predict, measure the loss, compute the "
        "gradients, step the weights against them, reset the gradients.",
        "`for xb, yb in dls.train: loss = mnist_loss(model(xb), yb); loss.backward()`, then "
        "`with torch.no_grad():` and for each p in model.parameters(): `p -= lr * p.grad; p.grad.zero_()`.",
    ],
    sends=("fastquiz.reference.dataloader",),  # the DataLoaders its checks hand to the answer
)

def _plain_sgd(model, train, epochs, lr):
    """The loop the question asks for, run by the check on its own copy of the model."""
    for _ in range(epochs):
        for xb, yb in train:
            mnist_loss(model(xb), yb).backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= lr * p.grad
                    p.grad = None


def _trained(student, model, dls, epochs, lr):
    returned = student.function("train_model")(model, dls, epochs, lr)
    assert returned is model, (  # the student's process hands back the grader's own model when it is returned
        "train_model should train the model it was given, in place, and return that same model, "
        f"got {getattr(returned, 'type_name', None) or type(returned).__name__}"
    )
    return returned


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_the_trained_model_classifies_unseen_digits(student):
    sample = embedded_sample()
    (x_train, y_train), (x_valid, y_valid) = sample.xy("train"), sample.xy("valid")
    # The validation set the loop is handed has its labels flipped on purpose: a loop that
    # only measures on it is unaffected, one that trains on it learns the opposite.
    dls = DataLoaders.from_tensors((x_train, y_train), (x_valid, 1 - y_valid), batch_size=256, seed=2)
    torch.manual_seed(2)
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
    dls = fixed_order_loaders(seed=3)
    train = dls.train
    for name, make, lr in [("nn.Linear(784, 1)", lambda: nn.Linear(28 * 28, 1), 0.5),
                           ("simple_net(8)", lambda: simple_net(8), 0.3)]:
        torch.manual_seed(3)
        model, expected = make(), make()
        expected.load_state_dict(model.state_dict())
        _plain_sgd(expected, train, 2, lr)
        model = _trained(student, model, dls, 2, lr)
        for (pname, got), want in zip(model.named_parameters(), expected.parameters()):
            assert torch.allclose(got.detach(), want.detach(), rtol=1e-3, atol=1e-4), (
                f"after 2 epochs on {name} (lr={lr}), parameter {pname} differs from plain SGD's: every step should "
                "move every parameter by lr * its gradient for that batch alone (reset the gradients each step)"
            )
