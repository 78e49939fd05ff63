"""Question 31: Why zero the gradients? (fastbook ch. 4, question 31).

In the chapter's warm-up, SGD fits a quadratic `a*t**2 + b*t + c` to the noisy speed of
a roller coaster. `fastquiz.reference` provides the pieces: `quadratic(t, params)` and
`mse(predictions, targets)`.

Write `fit_quadratic(t, speed, params, lr, steps)`. `params` is a tensor of three
numbers (a, b, c) that tracks its gradient (`requires_grad=True`). Repeat `steps` times:

    predict with quadratic(t, params), measure mse against speed,
    compute the gradient with backward(), move params against it by lr * gradient
    (in place, inside `torch.no_grad()`), and get the gradient ready for the next step.

Return the list of losses (plain floats), each measured before its step. The tensor you
were given must hold the trained values afterwards.

    >>> t, speed = roller_coaster()          # from fastquiz.reference
    >>> params = torch.randn(3).requires_grad_()
    >>> losses = fit_quadratic(t, speed, params, lr=1e-5, steps=10)
    >>> losses[-1] < losses[0]
    True

Before you run it, work out what goes wrong if the gradient is not reset after a step
(question 30 shows what backward does to `.grad`); then try it.

Given: the roller coaster's times and speeds, and `params`. Graded: your losses and final
parameters for random starts, learning rates and numbers of steps, against plain SGD's.
"""
import torch

from fastquiz.reference import mse, quadratic


def fit_quadratic(t: torch.Tensor, speed: torch.Tensor, params: torch.Tensor, lr: float, steps: int) -> list[float]:
    raise NotImplementedError("write the training steps here")


# Not graded: explain, in your own words, why we have to zero the gradients.
EXPLAIN = """
"""
