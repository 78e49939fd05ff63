"""Chapter 4 end to end: each stage's accuracy beside the figure the book reports."""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

import torch

from . import reference as ref

# (name, the book's figure or range of figures)
BOOK = {
    "pixel similarity, 3s": (0.9168, 0.9168),
    "pixel similarity, 7s": (0.9854, 0.9854),
    "linear, chapter's SGD (20 epochs)": (0.9696, 0.9785),
    "Learner + linear (10 epochs)": (0.9696, 0.9785),
    "Learner + simple_net (40 epochs)": (0.9828, 0.9828),
}
EPOCHS = {"linear": 20, "learner_linear": 10, "simple_net": 40}
TOTAL_EPOCHS = sum(EPOCHS.values())


@dataclass(frozen=True)
class StageResult:
    name: str
    accuracy: float
    book: float
    book_range: tuple[float, float]
    seconds: float


class _AfterEpoch(ref.Callback):
    def __init__(self, hook: Callable[[], None]):
        self.hook = hook

    def after_epoch(self) -> None:
        self.hook()


def run_pipeline(
    sample: ref.MnistSample, device: torch.device, seed: int = 42, on_epoch: Callable[[], None] | None = None
) -> Iterator[StageResult]:
    """Yield each stage's result as soon as it is done; `on_epoch` is called after every epoch."""
    sample = sample.to(device)
    timer = _Timer()

    on_3s, on_7s = ref.pixel_similarity_accuracy(sample.train_3, sample.train_7, sample.valid_3, sample.valid_7)
    seconds = timer.lap()
    yield _result("pixel similarity, 3s", on_3s, seconds)
    yield _result("pixel similarity, 7s", on_7s, 0.0)

    dls = ref.DataLoaders.from_tensors(sample.xy("train"), sample.xy("valid"), batch_size=256, seed=seed)
    name = "linear, chapter's SGD (20 epochs)"
    accuracies = ref.train_linear(dls, EPOCHS["linear"], lr=1.0, seed=seed, on_epoch=on_epoch)
    yield _result(name, accuracies[-1], timer.lap())

    for name, model, epochs, lr in (
        ("Learner + linear (10 epochs)", ref.linear_model, EPOCHS["learner_linear"], 1.0),
        ("Learner + simple_net (40 epochs)", ref.simple_net, EPOCHS["simple_net"], 0.1),
    ):
        torch.manual_seed(seed)
        learn = ref.Learner(dls, model(), cbs=[_AfterEpoch(on_epoch)] if on_epoch else [])
        learn.fit(epochs, lr)
        yield _result(name, learn.recorder.values[-1][2], timer.lap())


def as_json(results: list[StageResult], device: torch.device, data: str) -> dict:
    return {"stages": [asdict(r) for r in results], "device": str(device), "data": data}


def _result(name: str, accuracy: float, seconds: float) -> StageResult:
    low, high = BOOK[name]
    return StageResult(name, round(accuracy, 4), high, (low, high), round(seconds, 3))


class _Timer:
    def __init__(self):
        self._last = time.perf_counter()

    def lap(self) -> float:
        """Seconds since the previous lap."""
        now = time.perf_counter()
        elapsed, self._last = now - self._last, now
        return elapsed
