"""Checks for question 25: one epoch of SGD, compared with the reference loop and judged on held-out digits."""
import torch
from torch import nn

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, embedded_sample, held_out_accuracy, worked_out_once
from ...reference import BasicOptim, mnist_loss
from ...reference import train_epoch as reference_train_epoch

QUESTION = Question(
    title="Pseudocode for an epoch of SGD",
    source=25,
    hints=[
        "train_epoch does the same five things for each batch, in order: predict, measure the loss, get the "
        "gradients, step each parameter against its gradient, clear the gradients.",
        "train_epoch: for each (xb, yb): `loss = mnist_loss(model(xb), yb); loss.backward()`, then, inside "
        "`with torch.no_grad():`, `p -= lr * p.grad` and `p.grad.zero_()` for every p in params. Clearing may also "
        "come first, before backward: the gradients only have to be clear when backward adds the new ones in.",
    ],
    time_limit=20,
)


def _linear(seed: int, std: float = 0.1) -> nn.Linear:
    """The chapter's linear model, with small random weights drawn from `seed`."""
    g = torch.Generator().manual_seed(seed)
    model = nn.Linear(28 * 28, 1)
    with torch.no_grad():
        model.weight.copy_(torch.randn(1, 28 * 28, generator=g) * std)
        model.bias.copy_(torch.randn(1, generator=g) * std)
    return model


@worked_out_once
def _batches(n: int, batch_size: int, seed: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """n of the embedded 3s and 7s, in an order `seed` fixes, in batches of `batch_size`."""
    x, y = embedded_sample().xy("train")
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))[:n]
    return [(x[order[i:i + batch_size]], y[order[i:i + batch_size]]) for i in range(0, n, batch_size)]


@worked_out_once
def _reference(seed: int, n: int, batch_size: int, lr: float, zero=True, lagged=False) -> list[torch.Tensor]:
    """The parameters after the reference epoch of a case's model on its batches; lr < 0 climbs the loss,
    zero=False lets gradients pile up, lagged steps before backward (with the previous batch's gradient)."""
    model, batches = _linear(seed), _batches(n, batch_size, seed)
    opt = BasicOptim(model.parameters(), lr)
    if zero and not lagged:
        reference_train_epoch(model, batches, opt)
    else:
        for xb, yb in batches:
            if lagged and model.weight.grad is not None:
                opt.step()
                opt.zero_grad()
            mnist_loss(model(xb), yb).backward()
            if not lagged:
                opt.step()
    return [p.detach() for p in model.parameters()]


def _same(a, b) -> bool:
    return all(torch.allclose(p, q, rtol=1e-4, atol=1e-5) for p, q in zip(a, b))


@QUESTION.part(points=3, kind=BEHAVIOUR)
def test_one_epoch_updates_the_parameters_as_the_reference_loop_does(student):
    """Graded: "your parameters after an epoch, against the chapter's loop (for several batch sizes and learning
    rates)". Rules: "measure how wrong the model is with mnist_loss, get the gradients, move each parameter by lr
    against its gradient, and clear the gradients so that the next batch starts afresh", "Change the tensors in
    `params` themselves"."""
    train_epoch = student.function("train_epoch")
    for seed, n, batch_size, lr in [(0, 256, 32, 1.0), (1, 200, 64, 0.1), (2, 130, 50, 3.0)]:
        model = _linear(seed)
        start = [p.detach().clone() for p in model.parameters()]
        batches = _batches(n, batch_size, seed)
        train_epoch(model, batches, list(model.parameters()), lr)
        got = [p.detach() for p in model.parameters()]
        case = f"{len(batches)} batches of up to {batch_size} digits, lr={lr}"
        assert not _same(got, start), (
            f"after an epoch of {case}, the model's parameters still hold their starting values: "
            "update the tensors in `params` themselves (p -= ... inside torch.no_grad()), not copies of them"
        )
        if _same(got, _reference(seed, n, batch_size, -lr)):
            raise AssertionError(f"with {case} the parameters moved up the loss: subtract lr * p.grad, don't add it")
        if _same(got, _reference(seed, n, batch_size, lr, zero=False)):
            raise AssertionError(
                f"with {case} the gradients of earlier batches were still added into each step: backward adds to "
                ".grad, so reset the gradients (p.grad.zero_() or p.grad = None) once per batch"
            )
        if _same(got, _reference(seed, n, batch_size, lr, lagged=True)):
            raise AssertionError(f"with {case} each step used the gradient of the batch before: compute the loss and "
                                 "call backward first, then step with the gradient that gives")
        expected = _reference(seed, n, batch_size, lr)
        assert_close(got[0], expected[0], f"the weights after one epoch ({case})")
        assert_close(got[1], expected[1], f"the bias after one epoch ({case})")


@QUESTION.part(points=2, kind=BEHAVIOUR)
def test_a_few_epochs_teach_the_model_to_tell_3s_from_7s(student):
    """Graded: "how well a model trained for three epochs by your function tells apart 3s and 7s it never saw"."""
    train_epoch = student.function("train_epoch")
    model = _linear(seed=42)
    before = held_out_accuracy(model)
    for epoch in range(3):
        train_epoch(model, _batches(800, 64, seed=100 + epoch), list(model.parameters()), 1.0)
    after = held_out_accuracy(model)
    assert after >= 0.9, (
        f"after 3 epochs (lr=1.0, batches of 64) the model gets {after:.0%} of 100 digits it never saw right "
        f"(it started at {before:.0%}); the chapter's loop gets above 95%"
    )
