"""Question 30: What backward does (fastbook ch. 4, question 30).

When a tensor is created with `requires_grad=True` (or marked with `.requires_grad_()`),
PyTorch remembers every calculation made from it. Calling `.backward()` on a single-number
result of those calculations, such as a loss, works out the gradient of that number with
respect to *every* such tensor it was computed from, and adds it to that tensor's `.grad`.

Part 1. Write `gradients(loss_fn, params)`: `params` is a list of tensors (the weight and
the bias of a small layer) and `loss_fn(*params)` computes a loss from them, by a formula
you are not shown. Return the list of the loss's gradients with respect to each
parameter, in order, each shaped like its parameter (one call to `backward` fills them
all). Leave the caller's tensors as they were (work on copies made with
`p.detach().clone().requires_grad_()`); `loss_fn` only accepts tensors that track their
gradient.

    >>> weight_grad, bias_grad = gradients(loss_fn, [weight, bias])

Part 2. Write `grad_after_backwards(w, times)`: on a copy of the tensor `w` that tracks
its gradient (leave `w` itself as it was), compute `(copy * copy).sum()` and call
`backward` on it, `times` times over (a fresh computation each time), then return the
copy's `.grad`. Compare with the gradient of a single backward, 2 * w.

Part 3. What does `loss.backward()` do? Set BACKWARD to the letter of the best answer:

   a) It undoes the last training step, putting the previous weights back in place.
   b) It computes the gradients and steps the weights: no step is needed.
   c) It adds the loss's gradient into .grad of each tracked tensor it came from.
   d) It runs the model backwards, rebuilding the input that gives the prediction.

Given: `loss_fn`, a function of the grader's; `params` and `w`, tensors that don't track
their gradient. Graded: your gradients of such losses for random layers, against
autograd's, with the caller's tensors left alone; what `.grad` holds after several
backward calls; and the letter.
"""
import torch


def gradients(loss_fn, params: list[torch.Tensor]) -> list[torch.Tensor]:
    raise NotImplementedError("one backward through loss_fn on tracked copies; return each copy's .grad")


def grad_after_backwards(w: torch.Tensor, times: int) -> torch.Tensor:
    raise NotImplementedError("backward (copy * copy).sum() `times` times; return the copy's .grad")


BACKWARD = None  # the letter of the best answer to part 3, e.g. "a"


# Not graded: explain, in your own words, what the backward method does.
EXPLAIN = """
"""
