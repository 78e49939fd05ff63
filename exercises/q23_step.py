"""Question 23: Computing new weights from the learning rate (fastbook ch. 4, question 23).

After `loss.backward()` every parameter `p` has its gradient in `p.grad`. The gradient
points in the direction that makes the loss grow, so training moves each parameter a
little the other way, and the learning rate `lr` sets how far.

Write `step(params, lr)`: change the tensor `params` so that it holds
params - lr * params.grad. Change it *in place*, in the very tensor object you are
given: the model keeps using that object, so a new tensor with the new values would
never be seen by it. `params` is a leaf tensor that requires its gradient (created with
`requires_grad=True`, as a model's parameters are), and PyTorch refuses in-place changes
to such a tensor unless you make them inside `with torch.no_grad():`. After the step the
tensor must still require its gradient, and `params.grad` must be left alone (what step
returns is not used).

    >>> w = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> w.grad = torch.tensor([10.0, -10.0])
    >>> step(w, 0.1)
    >>> w
    tensor([0., 3.], requires_grad=True)

Given: `params` with its gradient in `params.grad`, and a learning rate; `step_and_look`
(keep it as it is), which the grader calls your step through. Graded: the values the very
tensor you were given holds afterwards, for parameters of many shapes and learning rates;
and that it is still a leaf that requires its gradient, with its gradient left alone.
"""
import torch


def step(params: torch.Tensor, lr: float) -> None:
    raise NotImplementedError("move params against params.grad by lr, in place, under torch.no_grad()")


# Given: do not change. The grader calls your step through it, as a training loop would, and looks
# at the parameter afterwards: does it still track its gradient, and is it still a leaf?
def step_and_look(params: torch.Tensor, lr: float) -> tuple[bool, bool]:
    step(params, lr)
    return params.requires_grad, params.is_leaf


# Not graded: explain, in your own words, which function computes the new weights from the learning rate, and how.
EXPLAIN = """
"""
