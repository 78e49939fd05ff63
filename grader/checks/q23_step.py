"""Checks for question 23: the optimiser's step, p -= lr * p.grad, in place."""
import torch

from ..question import Question
from ._helpers import assert_choice, assert_close, to_number

QUESTION = Question(
    title="Computing new weights from the learning rate",
    source=23,
    hints=[
        "Subtract lr times the gradient, and do it with an in-place operator (`-=`) inside `with torch.no_grad():`; "
        "`params = params - ...` only makes a new tensor and rebinds a local name.",
        "`with torch.no_grad(): params -= lr * params.grad`. For part 2: 3.0 - 0.5 * (-4.0).",
    ],
)


class _Parameter(torch.Tensor):
    """A parameter whose `.grad` goes along to the student's code.

    Student code runs in a worker that receives its arguments as pickles, and pickling a
    tensor keeps its values but drops its `.grad`; this tensor rebuilds itself with it."""

    def __reduce_ex__(self, protocol):
        grad = None if self.grad is None else torch.Tensor(self.grad).detach().clone()
        return _rebuild_parameter, (torch.Tensor(self).detach().clone(), grad, self.requires_grad)


def _rebuild_parameter(data: torch.Tensor, grad: torch.Tensor | None, requires_grad: bool) -> torch.Tensor:
    data.requires_grad_(requires_grad)
    data.grad = grad
    return data


def _parameter(values: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    """A leaf tensor that requires grad, holding `values`, with `grad` in its .grad."""
    params = values.clone().as_subclass(_Parameter).requires_grad_()
    params.grad = grad.clone()
    return params


# Shapes from small to large, so that the first case that fails is a small one.
CASES = [((1,), 0.1), ((3,), 1.0), ((2, 3), 0.01), ((4, 1, 2), 5.0), ((5, 5), 0.37), ((28 * 28, 1), 2.5)]


@QUESTION.part(points=3)
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


@QUESTION.part(points=1)
def test_new_weight_after_one_step(student):
    answer = to_number(student.value("NEW_WEIGHT"), "NEW_WEIGHT")
    assert answer != 1.0, "NEW_WEIGHT: 1.0 is where the weight goes if you add lr * gradient; the step subtracts it"
    assert abs(answer - 5.0) < 1e-6, f"NEW_WEIGHT: {answer} is not the weight after one step: compute w - lr * grad"


@QUESTION.part(points=1)
def test_knows_which_function_updates_the_weights(student):
    assert_choice(student.value("UPDATER"), "b", "abcd",
                  "UPDATER (which call actually changes the values stored in the weights?)")
