"""Question 31: Why zero the gradients? (fastbook ch. 4, question 31). Model answer."""
import torch

from fastquiz.reference import mse, quadratic, roller_coaster


def reset_gradient(params: torch.Tensor) -> None:
    params.grad.zero_()


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
    return torch.stack(step_gradients).sum(0)


def measured_grad(t: torch.Tensor, speed: torch.Tensor, params: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    copy = params.detach().clone().requires_grad_()
    fit_quadratic(t, speed, copy, lr, steps, reset=False)
    return copy.grad


if __name__ == "__main__":  # the experiment: python q31_zero_gradients.py
    t, speed = roller_coaster()
    start = torch.randn(3)
    for reset in (True, False):
        losses = fit_quadratic(t, speed, start.clone().requires_grad_(), 1e-5, 40, reset)
        print(f"reset={reset}: loss {losses[0]:,.0f} at first, {losses[9]:,.0f} after 10 steps, "
              f"{losses[-1]:,.0f} after 40")


EXPLAIN = """
PyTorch never overwrites a parameter's .grad: each call to backward() adds the newly
computed gradient to what is already stored there (which is handy when one gradient is
built from several pieces). Without a reset, after k steps .grad holds the sum of the k
steps' gradients, so each step moves the weights by all the gradients seen so far: the
steps grow and overshoot. Over the first few steps the loss can still fall, which hides
the bug; over 40 steps on the roller coaster it climbs far above where the loop with the
reset ends. So after updating the parameters we reset .grad to zero (or None): each step
must use the gradient of its own batch only.
"""
