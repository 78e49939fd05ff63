"""Question 31: Why zero the gradients? (fastbook ch. 4, question 31).

In the chapter's warm-up, SGD fits a quadratic `a*t**2 + b*t + c` to the noisy speed of
a roller coaster (`roller_coaster`, `quadratic` and `mse` come from fastquiz.reference).
`fit_quadratic` below (given: keep it as it is) is that training loop, with the line this
question is about left to you: after each step it calls your `reset_gradient(params)`,
unless it is told `reset=False`. It returns the losses, each measured before its step.

Part 1. Write `reset_gradient(params)`: clear what backward left in `params.grad`, so
that the next backward starts from nothing.

Part 2. Predict. `backward` adds the gradient it computes to whatever `.grad` already
holds. Say nothing resets it, and the k steps of training had gradients g_1, ..., g_k
(each the gradient of its own step's loss). Write `grad_without_reset(step_gradients)`:
given the list of those k tensors, return what `.grad` holds after the k-th backward.

Part 3. Measure. Write `measured_grad(t, speed, params, lr, steps)`: on a copy of
`params` that tracks its gradient (leave `params` itself as it was), run
`fit_quadratic(t, speed, copy, lr, steps, reset=False)` and return what the copy's
`.grad` holds at the end. Does it agree with your prediction?

Then run the experiment at the bottom of the file (`python q31_zero_gradients.py`): 40
steps with the reset and 40 without. Over the first ten, the loss falls either way, so
"the loss goes down" is no proof that training works; look at where each one ends.

What your experiment gives (the losses after 40 steps with and without the reset, and how
big `.grad` has grown) is shown with your result.

Given: `fit_quadratic`; the roller coaster's times `t` and speeds `speed`, and `params`,
three numbers. Graded: your reset, through fit_quadratic, for random starts, learning rates
and numbers of steps, against plain SGD; your prediction for random gradients; and your
measurement for random starts, learning rates and numbers of steps, against the grader's.
"""
import torch

from fastquiz.reference import mse, quadratic, roller_coaster


def reset_gradient(params: torch.Tensor) -> None:
    raise NotImplementedError("clear what backward left in params.grad")


# Given: do not change. The chapter's loop for the quadratic; reset=False leaves .grad as backward left it.
def fit_quadratic(t: torch.Tensor, speed: torch.Tensor, params: torch.Tensor, lr: float, steps: int,
                  reset: bool = True) -> list[float]:
    losses = []
    for _ in range(steps):
        loss = mse(quadratic(t, params), speed)
        loss.backward()
        with torch.no_grad():
            params -= lr * params.grad
        if reset:
            reset_gradient(params)
        losses.append(loss.item())
    return losses


def grad_without_reset(step_gradients: list[torch.Tensor]) -> torch.Tensor:
    raise NotImplementedError("what .grad holds after the last of these backward calls, with no reset between")


def measured_grad(t: torch.Tensor, speed: torch.Tensor, params: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    raise NotImplementedError("run fit_quadratic with reset=False on a tracked copy of params; return its .grad")


if __name__ == "__main__":  # the experiment: python q31_zero_gradients.py
    t, speed = roller_coaster()
    start = torch.randn(3)
    for reset in (True, False):
        losses = fit_quadratic(t, speed, start.clone().requires_grad_(), 1e-5, 40, reset)
        print(f"reset={reset}: loss {losses[0]:,.0f} at first, {losses[9]:,.0f} after 10 steps, "
              f"{losses[-1]:,.0f} after 40")


# Not graded: explain, in your own words, why we have to zero the gradients.
EXPLAIN = """
"""
