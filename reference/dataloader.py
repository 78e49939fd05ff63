"""Mini-batches by tensor indexing: one gather per batch, never one Python item at a time."""
from __future__ import annotations

from typing import Iterator, Sequence

import torch


class DataLoader:
    """Yield batches of a tensor, or of several tensors with the same first dimension.

    `DataLoader((x, y), batch_size=256, shuffle=True)` yields `(x[idx], y[idx])` for
    successive slices `idx` of a permutation; the last, smaller batch is kept unless
    `drop_last`. A `seed` makes the order of every epoch repeatable.
    """

    def __init__(
        self,
        dataset: torch.Tensor | Sequence[torch.Tensor],
        batch_size: int = 64,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
    ):
        self.tensors = (dataset,) if isinstance(dataset, torch.Tensor) else tuple(dataset)
        lengths = {len(t) for t in self.tensors}
        if len(lengths) != 1:
            raise ValueError(f"all tensors need the same length, got {sorted(lengths)}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.n = lengths.pop()
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.generator = torch.Generator().manual_seed(seed) if seed is not None else None

    @property
    def device(self) -> torch.device:
        return self.tensors[0].device

    def __len__(self) -> int:
        full, rest = divmod(self.n, self.batch_size)
        return full + (rest > 0 and not self.drop_last)

    def __iter__(self) -> Iterator[torch.Tensor | tuple[torch.Tensor, ...]]:
        if self.shuffle:
            order = torch.randperm(self.n, generator=self.generator).to(self.device)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            if self.shuffle:
                idx = order[start:start + self.batch_size]
                batch = tuple(t[idx] for t in self.tensors)
            else:
                batch = tuple(t[start:start + self.batch_size] for t in self.tensors)
            yield batch if len(batch) > 1 else batch[0]

    def to(self, device: torch.device | str) -> "DataLoader":
        """The same loader over copies of its tensors on `device`."""
        moved = DataLoader.__new__(DataLoader)
        moved.__dict__.update(self.__dict__, tensors=tuple(t.to(device) for t in self.tensors))
        return moved


class DataLoaders:
    """A training and a validation DataLoader, as fastai's `DataLoaders(train, valid)`."""

    def __init__(self, train: DataLoader, valid: DataLoader):
        self.train, self.valid = train, valid

    @classmethod
    def from_tensors(
        cls, train: Sequence[torch.Tensor], valid: Sequence[torch.Tensor], batch_size: int = 256, seed: int | None = None
    ) -> "DataLoaders":
        """Shuffled training batches, validation batches in order."""
        return cls(DataLoader(train, batch_size, shuffle=True, seed=seed), DataLoader(valid, batch_size))

    @property
    def device(self) -> torch.device:
        return self.train.device

    def to(self, device: torch.device | str) -> "DataLoaders":
        return DataLoaders(self.train.to(device), self.valid.to(device))
