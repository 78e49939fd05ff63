"""Checks for question 23: the optimiser's step, p -= lr * p.grad, in place."""
import torch

from ..question import BEHAVIOUR, Question
from ..probes import ParameterWithGrad
from ._helpers import assert_close
from ._source import assert_given_unchanged

QUESTION = Question(
    title="Computing new weights from the learning rate",
    source=23,
    hints=[
        "step: subtract lr times the gradient, with an in-place operator (`-=`) inside `with torch.no_grad():`; "
        "`params = params - ...` only makes a new tensor and rebinds a local name, and switching requires_grad off "
        "to silence PyTorch breaks the next backward.",
        "step is `with torch.no_grad(): params -= lr * params.grad`, and nothing else: the loop resets the gradient.",
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
    """Graded: "the values the very tensor you were given holds afterwards, for parameters of many shapes and
    learning rates". Rules: "change the tensor `params` so that it holds params - lr * params.grad", "Change it *in
    place*, in the very tensor object you are given"."""
    for seed, (shape, lr) in enumerate(CASES):
        _check_one_step(student, shape, lr, seed)


@QUESTION.part(points=1, kind=BEHAVIOUR)
def test_the_parameter_stays_a_leaf_that_tracks_its_gradient(student):
    """Graded: "that it is still a leaf that requires its gradient, with its gradient left alone". Rules: "After the
    step the tensor must still require its gradient", "`params.grad` must be left alone"."""
    assert_given_unchanged(student, "step_and_look")
    for seed, (shape, lr) in enumerate(CASES[:3]):
        g = torch.Generator().manual_seed(seed)
        grad = torch.randn(shape, generator=g)
        params = _parameter(torch.randn(shape, generator=g), grad)
        looked = student.function("step_and_look")(params, lr)
        assert isinstance(looked, tuple) and len(looked) == 2, "step_and_look is given: keep it as the stub has it"
        tracks, leaf = looked
        assert tracks, ("after step the parameter no longer tracks its gradient: keep requires_grad on, the next "
                        "backward needs it; make the change inside `with torch.no_grad():` instead")
        assert leaf, ("after step the parameter is the result of an operation, not a leaf: make the change inside "
                      "`with torch.no_grad():`")
        assert params.grad is not None and torch.equal(params.grad, grad), (
            "step changed the parameter's .grad: leave it alone (resetting it is the training loop's job, after the "
            "step)")


def _check_one_step(student, shape, lr, seed):
    g = torch.Generator().manual_seed(seed)
    before, grad = torch.randn(shape, generator=g), torch.randn(shape, generator=g)
    params = _parameter(before, grad)
    student.function("step")(params, lr)
    now = torch.Tensor(params).detach().clone()
    assert now.shape == before.shape, \
        f"step changed the parameter's shape from {tuple(before.shape)} to {tuple(now.shape)}"
    assert not torch.equal(now, before), (
        "the tensor passed to step still holds its old values: a new tensor (`params = params - ...`) or a copy "
        "never reaches the caller; change the values of params itself, with -= inside torch.no_grad()"
    )
    if torch.allclose(now, before + lr * grad, rtol=1e-4, atol=1e-5):
        raise AssertionError("step moved the parameter along its gradient, uphill: subtract lr * grad, don't add it")
    assert_close(now, before - lr * grad, f"the parameter of shape {tuple(shape)} after step with lr={lr:.3g}")
