"""What the checks hand to a student's code that runs in the student's worker: models,
functions and tensors of the grader's own, which the worker imports from here by name.

Nothing here may give an answer away: a worker can read this module. Each object either
computes what the student's code is given (a model, a function to differentiate), or
writes down, where the check can read it back, what the student's code did with it.
"""
from __future__ import annotations

import torch


def memorised_logits(train_x: torch.Tensor, train_y: torch.Tensor, rule: torch.Tensor, x) -> torch.Tensor:
    """A model that recalls every training item exactly and guesses with a fixed linear rule elsewhere
    (question 11; bound with functools.partial)."""
    x = torch.as_tensor(x, dtype=train_x.dtype)
    same = (x[:, None, :] == train_x[None, :, :]).all(-1)            # (n, n_train)
    seen = same.any(1, keepdim=True)
    recalled = train_y[same.float().argmax(1)] * 20 - 10             # +10 for a 1, -10 for a 0
    return torch.where(seen, recalled, x @ rule)
