"""Choosing where tensors live."""
from __future__ import annotations

import torch


def default_device(choice: str = "auto") -> torch.device:
    """'auto' is CUDA when a GPU is present, else the CPU; 'cuda' without a GPU is an error."""
    if choice == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if choice == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("no CUDA device is available: use --device cpu or auto")
    return torch.device(choice)
