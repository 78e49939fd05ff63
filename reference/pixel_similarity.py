"""The chapter's baseline: call a digit a 3 when it is closer to the mean 3 than the mean 7."""
from __future__ import annotations

import torch


def mnist_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Mean absolute difference (L1) over the last two axes; broadcasts a batch against one image."""
    return (a - b).abs().mean((-1, -2))


def is_3(x: torch.Tensor, mean3: torch.Tensor, mean7: torch.Tensor) -> torch.Tensor:
    """True where x is nearer the ideal 3 than the ideal 7."""
    return mnist_distance(x, mean3) < mnist_distance(x, mean7)


def pixel_similarity_accuracy(
    train_3: torch.Tensor, train_7: torch.Tensor, valid_3: torch.Tensor, valid_7: torch.Tensor
) -> tuple[float, float]:
    """Accuracy on the validation 3s and on the validation 7s."""
    mean3, mean7 = train_3.mean(0), train_7.mean(0)
    on_3s = is_3(valid_3, mean3, mean7).float().mean().item()
    on_7s = 1 - is_3(valid_7, mean3, mean7).float().mean().item()
    return on_3s, on_7s
