"""Question 30: what `backward` does (fastbook ch. 4, question 30).

When a tensor is created with `requires_grad=True` (or marked with `.requires_grad_()`),
PyTorch remembers every calculation made from it. Calling `.backward()` on a single-number
result of those calculations, such as a loss, works out the gradient of that number with
respect to the tensor, and stores it in the tensor's `.grad`.

1. Write `gradient_of_sum_of_squares(x)`: for a tensor `x` of any shape, use `backward`
   (not a formula you work out by hand) to get the gradient of (x ** 2).sum() with
   respect to x, and return it, a tensor of the same shape as x. Leave the caller's `x`
   as it was: same values, still not tracking gradients, `.grad` still None. (Work on a
   copy: `x.detach().clone()`.)

       >>> gradient_of_sum_of_squares(torch.tensor([1.0, -2.0]))
       tensor([ 2., -4.])

2. Work this out without running it, then check:

       w = torch.tensor(3.0, requires_grad=True)
       (w * w).backward()
       (w * w).backward()

   Set GRAD_AFTER_TWO_BACKWARDS to the number w.grad holds after these lines.

3. What does `loss.backward()` do? Set BACKWARD to the letter of the best answer:

   a) It undoes the last training step, putting the previous weights back.
   b) It computes the gradients and also subtracts lr times each gradient from its
      weight, so no separate step is needed.
   c) It computes the gradient of the loss with respect to every tensor that requires
      gradients and was used to compute it, and adds that gradient to the tensor's
      `.grad`.
   d) It runs the model from the output back to the input, rebuilding the input that
      would give the desired prediction.
"""
import torch


def gradient_of_sum_of_squares(x: torch.Tensor) -> torch.Tensor:
    raise NotImplementedError("call backward on (x ** 2).sum() computed from a copy of x; return the copy's grad")


GRAD_AFTER_TWO_BACKWARDS = None  # a number: w.grad after the lines of part 2

BACKWARD = None  # the letter of the best answer to part 3, e.g. "a"


# Not graded: explain, in your own words, what the backward method does.
EXPLAIN = """
"""
