"""Our `Learner` against a plain PyTorch loop doing the same work, and against a memory-bandwidth floor.

    python bench/bench_learner.py                    # MNIST_SAMPLE from ../shared/data, or the embedded digits
    python bench/bench_learner.py --data DIR --device cuda --epochs 20 --repeats 3

Both sides train `nn.Linear(784, 1)` from the same seed on the same data: batches of 256,
SGD at lr 1.0, `mnist_loss`, and after every epoch a pass over the validation set that
yields the loss and the accuracy.

- ours: `Learner(DataLoaders.from_tensors(...), linear_model(), SGD, mnist_loss, batch_accuracy)`.
- plain: `torch.utils.data.DataLoader` over a `TensorDataset` (shuffled, default collate),
  `torch.optim.SGD`, and a validation loop over an unshuffled `DataLoader`. Its datasets stay
  on the CPU and each batch is moved with `.to(device)`, as plain PyTorch code does.

The floor is the time one epoch needs just to move its bytes through memory at the bandwidth
of a large `copy_` measured in the same run. Each figure is the best of `--repeats` runs. The
exit code is 0 whether or not the target is met: this prints figures, it does not test.
"""
from __future__ import annotations

import argparse
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence, TypeVar

import torch
from torch.utils.data import DataLoader as TorchDataLoader
from torch.utils.data import TensorDataset

from fastquiz.reference import (
    SGD, DataLoaders, Learner, MnistSample, batch_accuracy, default_device, linear_model, load_mnist_sample,
    mnist_loss,
)

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist_sample.tgz"
TARGET_RATIO = 0.4
BATCH_SIZE = 256
LR = 1.0
SEED = 42
COPY_BYTES = 256 * 2**20
FLOAT_BYTES = 4
BUSY_SHARE = 0.1  # above this share of the CPUs taken by others while timing, the figures are unreliable

Pair = tuple[torch.Tensor, torch.Tensor]
T = TypeVar("T")


@dataclass(frozen=True)
class Run:
    """One timed fit: its wall time and the validation accuracy after the last epoch."""

    seconds: float
    accuracy: float


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help=f"an MNIST_SAMPLE folder (default: unpack {ARCHIVE})")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each side; the best is kept")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    return parser.parse_args(argv)


def load_sample(data_dir: Path | None, scratch: Path) -> tuple[MnistSample, str]:
    """The folder given, else the shared archive unpacked into `scratch`, else the embedded
    digits; with a label that says which."""
    if data_dir is not None:
        return load_mnist_sample(data_dir), str(data_dir)
    if not ARCHIVE.is_file():
        print(f"WARNING: {ARCHIVE} not found; using the embedded digits (800 train, 200 valid images)")
        return load_mnist_sample(), "embedded digits"
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(scratch, filter="data")
    return load_mnist_sample(scratch / "mnist_sample"), str(ARCHIVE)


def synchronize(device: torch.device) -> None:
    """Wait for queued GPU work, so that a clock read after it counts that work."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(device: torch.device, work: Callable[[], T]) -> tuple[float, T]:
    """Seconds that `work` takes, queued GPU work included, and what it returns."""
    synchronize(device)
    start = time.perf_counter()
    result = work()
    synchronize(device)
    return time.perf_counter() - start, result


def fit_ours(train: Pair, valid: Pair, epochs: int, device: torch.device) -> Run:
    """fastquiz's Learner, with its data already on `device`."""
    torch.manual_seed(SEED)
    dls = DataLoaders.from_tensors(train, valid, batch_size=BATCH_SIZE, seed=SEED).to(device)
    learn = Learner(dls, linear_model(), opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)

    def work() -> float:
        learn.fit(epochs, LR)
        return learn.recorder.values[-1][2]

    return Run(*timed(device, work))


def fit_plain(train: Pair, valid: Pair, epochs: int, device: torch.device) -> Run:
    """The textbook PyTorch loop: per-item Dataset, default collate, torch.optim.SGD."""
    torch.manual_seed(SEED)
    model = linear_model().to(device)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    train_dl = TorchDataLoader(
        TensorDataset(*train), batch_size=BATCH_SIZE, shuffle=True, generator=torch.Generator().manual_seed(SEED)
    )
    valid_dl = TorchDataLoader(TensorDataset(*valid), batch_size=BATCH_SIZE)

    def work() -> float:
        history = []  # [train_loss, valid_loss, accuracy] per epoch, as our Recorder keeps
        for _ in range(epochs):
            model.train()
            train_loss = torch.zeros((), device=device)
            for xb, yb in train_dl:
                xb, yb = xb.to(device), yb.to(device)
                loss = mnist_loss(model(xb), yb)
                loss.backward()
                opt.step()
                opt.zero_grad()
                train_loss += loss.detach() * len(yb)
            valid_loss, accuracy = validate_plain(model, valid_dl, device)
            history.append([train_loss.item() / len(train[0]), valid_loss, accuracy])
        return history[-1][2]

    return Run(*timed(device, work))


@torch.no_grad()
def validate_plain(model: torch.nn.Module, dl: TorchDataLoader, device: torch.device) -> tuple[float, float]:
    """Mean loss and accuracy over every validation item."""
    model.eval()
    sums = torch.zeros(2, device=device)
    for xb, yb in dl:
        xb, yb = xb.to(device), yb.to(device)
        pred = model(xb)
        sums[0] += mnist_loss(pred, yb) * len(yb)
        sums[1] += batch_accuracy(pred, yb) * len(yb)
    loss, accuracy = (s / len(dl.dataset) for s in sums.tolist())
    return loss, accuracy


def best_runs(repeats: int, fits: Sequence[Callable[[], Run]]) -> list[Run]:
    """The fastest of `repeats` runs of each fit, run in turns so that all meet the same load."""
    rounds = [[fit() for fit in fits] for _ in range(repeats)]
    return [min(runs, key=lambda run: run.seconds) for runs in zip(*rounds)]


def copy_bandwidth(device: torch.device, nbytes: int = COPY_BYTES, repeats: int = 5) -> float:
    """Bytes per second through memory: a copy reads and writes `nbytes`, best of `repeats`."""
    src = torch.rand(nbytes // FLOAT_BYTES, device=device)
    dst = torch.empty_like(src)
    dst.copy_(src)  # first touch of dst's pages
    best = min(timed(device, lambda: dst.copy_(src))[0] for _ in range(repeats))
    return 2 * nbytes / best


def others_cpu_seconds() -> float | None:
    """CPU seconds taken since boot by other processes and by the hypervisor (steal): the busy
    time in /proc/stat less this process's own. None where there is no /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    return busy - time.process_time()


def epoch_floor_bytes(n_train: int, n_valid: int) -> int:
    """train x read once to gather + gathered batches written and read once + valid x read once."""
    row = 28 * 28 * FLOAT_BYTES
    return (3 * n_train + n_valid) * row


def report(ours: Run, plain: Run, epochs: int, n_train: int, n_valid: int, bandwidth: float) -> None:
    """Print ms per epoch, the ratio against its target, the accuracies and the floor."""
    ours_ms, plain_ms = (1000 * run.seconds / epochs for run in (ours, plain))
    ratio = ours.seconds / plain.seconds
    floor_bytes = epoch_floor_bytes(n_train, n_valid)
    floor_ms = 1000 * floor_bytes / bandwidth
    print(f"ours  (fastquiz Learner):         {ours_ms:8.2f} ms/epoch   final valid accuracy {ours.accuracy:.4f}")
    print(f"plain (torch DataLoader + optim): {plain_ms:8.2f} ms/epoch   final valid accuracy {plain.accuracy:.4f}")
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"ratio ours/plain: {ratio:.3f}   target <= {TARGET_RATIO}: {verdict}")
    print(f"memory bandwidth (copy_ of {COPY_BYTES / 2**20:.0f} MiB, 2*bytes/time): {bandwidth / 1e9:.2f} GB/s")
    print(
        f"epoch floor: (3*n_train + n_valid) * 784 * 4 B = (3*{n_train} + {n_valid}) * 3136 B"
        f" = {floor_bytes / 1e6:.1f} MB -> {floor_ms:.2f} ms"
    )
    print(f"ours is {ours_ms / floor_ms:.1f}x the floor")


def main(argv: list[str] | None = None) -> int:
    """Time both sides on the same data and print the figures; 0 whatever they are."""
    args = parse_args(argv)
    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    torch.set_num_threads(threads)
    try:
        device = default_device(args.device)
    except RuntimeError as error:
        raise SystemExit(f"error: {error}") from None
    with tempfile.TemporaryDirectory() as scratch:
        sample, source = load_sample(args.data, Path(scratch))
    train, valid = sample.xy("train"), sample.xy("valid")
    n_train, n_valid = len(train[0]), len(valid[0])
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
    print(f"data: {source} ({n_train} train, {n_valid} valid)   device: {device} ({name})")
    print(f"torch {torch.__version__}, threads: {torch.get_num_threads()}   "
          f"{args.epochs} epochs, batch {BATCH_SIZE}, lr {LR}, best of {args.repeats}")
    others_before, start = others_cpu_seconds(), time.perf_counter()
    bandwidth = copy_bandwidth(device)
    ours, plain = best_runs(args.repeats, [
        lambda: fit_ours(train, valid, args.epochs, device),
        lambda: fit_plain(train, valid, args.epochs, device),
    ])
    report(ours, plain, args.epochs, n_train, n_valid, bandwidth)
    if others_before is not None:
        cpus = os.cpu_count() or 1
        share = (others_cpu_seconds() - others_before) / ((time.perf_counter() - start) * cpus)
        print(f"other processes and the hypervisor took {share:.0%} of the {cpus} CPUs while timing")
        if share > BUSY_SHARE:
            print("WARNING: the CPUs were shared while timing: these figures are unreliable; rerun on an idle machine")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
