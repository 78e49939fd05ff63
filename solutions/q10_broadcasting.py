"""Question 10: Broadcasting (fastbook ch. 4, question 10). Model answer."""
import torch


def distances_to(batch: torch.Tensor, image: torch.Tensor) -> torch.Tensor:
    return (batch - image).abs().mean((-1, -2))


def broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...] | None:
    result = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and x != 1 and y != 1:
            return None
        result.append(y if x == 1 else x)
    return tuple(reversed(result))


EXPLAIN = """
Broadcasting lets an operation combine tensors of different shapes: PyTorch lines the
shapes up from their last axes, treats missing axes as size 1, and stretches every
size-1 axis to match the other tensor, as if the smaller tensor were copied that many
times, but without copying any memory and with the loop done in compiled code. So a
stack of images minus one image subtracts that image from every image in the stack, in
one fast expression. Sizes that differ and are not 1 can't be broadcast: an error.
"""
