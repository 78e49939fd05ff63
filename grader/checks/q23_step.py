"""Checks for question 23: the optimiser's step, p -= lr * p.grad, in place."""
import torch

from ..question import BEHAVIOUR, Question
from ..probes import ParameterWithGrad
from ._helpers import assert_close

QUESTION = Question(
    title="Computing new weights from the learning rate",
    source=23,
    hints=[
        "Subtract lr times the gradient, and do it with an in-place operator (`-=`) inside `with torch.no_grad():`; "
        "`params = params - ...` only makes a new tensor and rebinds a local name.",
        "`with torch.no_grad(): params -= lr * params.grad`.",
    ],
    sends=("fastquiz.grader.probes",),  # what its checks hand to the answer to run there
)


def _parameter(values: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    """A leaf tensor that requires grad, holding `values`, with `grad` in its .grad."""
    params = values.clone().as_subclass(ParameterWithGrad).requires_grad_()
    params.grad = grad.clone()
    return params


# Shapes from small to large, so that the first case that fails is a small one.
CASES = [((1,), 0.1), ((3,), 1.0), ((2, 3), 0.01), ((4, 1, 2), 5.0), ((5, 5), 0.37), ((28 * 28, 1), 2.5)]


@QUESTION.part(points=3, kind=BEHAVIOUR)
def test_step_moves_the_same_tensor_against_its_gradient(student):
    for seed, (shape, lr) in enumerate(CASES):
        _check_one_step(student, shape, lr, seed)


def _check_one_step(student, shape, lr, seed):
    g = torch.Generator().manual_seed(seed)
    before, grad = torch.randn(shape, generator=g), torch.randn(shape, generator=g)
    params = _parameter(before, grad)
    student.function("step")(params, lr)
    now = torch.Tensor(params).detach().clone()
    assert params.requires_grad, (
        "after step the parameter no longer tracks its gradient: keep requires_grad on, the next batch needs it"
    )
    assert params.grad_fn is None, (
        "after step the parameter is the result of an operation (it has a grad_fn): "
        "make the update inside `with torch.no_grad():`"
    )
    assert now.shape == before.shape, \
        f"step changed the parameter's shape from {tuple(before.shape)} to {tuple(now.shape)}"
    assert not torch.equal(now, before), (
        "the tensor passed to step still holds its old values: `params = params - ...` makes a new tensor "
        "that the caller never sees; change the values in place, with -= inside torch.no_grad()"
    )
    if torch.allclose(now, before + lr * grad, rtol=1e-4, atol=1e-5):
        raise AssertionError("step moved the parameter along its gradient, uphill: subtract lr * grad, don't add it")
    assert_close(now, before - lr * grad, f"the parameter of shape {tuple(shape)} after step with lr={lr:.3g}")
