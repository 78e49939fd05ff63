"""CUDA: the chapter gives the same figures on the GPU as on the CPU, and its tensors stay there.

Every test here is marked `gpu` and skips where `torch.cuda.is_available()` is false;
`scripts/gpu_check.sh` runs them on a machine with a GPU.
"""
from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.pipeline import StageResult, run_pipeline
from fastquiz.reference import Callback, DataLoaders, Learner, MnistSample, linear_model, load_mnist_sample

ARCHIVE = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist_sample.tgz"
CUDA = torch.device("cuda")
SEED = 42

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device (torch.cuda.is_available() is False)"),
]


def _stages(sample: MnistSample, device: torch.device) -> dict[str, StageResult]:
    return {result.name: result for result in run_pipeline(sample, device, seed=SEED)}


def test_pipeline_agrees_on_cpu_and_cuda():
    sample = load_mnist_sample()
    on_cpu, on_cuda = _stages(sample, torch.device("cpu")), _stages(sample, CUDA)

    assert list(on_cpu) == list(on_cuda)
    for name in ("pixel similarity, 3s", "pixel similarity, 7s"):
        assert round(on_cuda[name].accuracy, 4) == round(on_cpu[name].accuracy, 4), name
    for name in list(on_cpu)[2:]:
        assert on_cuda[name].accuracy == pytest.approx(on_cpu[name].accuracy, abs=0.02), name


class _DeviceSpy(Callback):
    """Notes the device of every batch, prediction and loss the Learner sees."""

    def __init__(self):
        self.devices: set[torch.device] = set()

    def after_loss(self) -> None:
        learn = self.learn
        self.devices |= {learn.xb.device, learn.yb.device, learn.pred.device, learn.loss.device}


def test_dataloader_and_learner_keep_tensors_on_cuda():
    sample = load_mnist_sample()
    dls = DataLoaders.from_tensors(sample.xy("train"), sample.xy("valid"), batch_size=256, seed=SEED).to(CUDA)
    for dl in (dls.train, dls.valid):
        assert {t.device.type for batch in dl for t in batch} == {"cuda"}

    spy = _DeviceSpy()
    learn = Learner(dls, linear_model(), cbs=[spy])
    learn.fit(2, 1.0)

    assert {d.type for d in spy.devices} == {"cuda"}
    assert {p.device.type for p in learn.model.parameters()} == {"cuda"}
    assert len(learn.recorder.values) == 2
    assert all(0.0 <= row[2] <= 1.0 for row in learn.recorder.values)


def test_cli_pipeline_on_cuda_writes_device_to_json(tmp_path):
    out = tmp_path / "pipeline.json"

    result = CliRunner().invoke(main, ["pipeline", "--device", "cuda", "--json", str(out)])

    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["device"].startswith("cuda")
    assert len(figures["stages"]) == 5


@pytest.mark.slow
@pytest.mark.skipif(not ARCHIVE.is_file(), reason=f"needs {ARCHIVE}")
def test_full_sample_on_cuda_matches_the_book(tmp_path):
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(tmp_path, filter="data")
    stages = _stages(load_mnist_sample(tmp_path / "mnist_sample"), CUDA)

    assert stages["pixel similarity, 3s"].accuracy == pytest.approx(0.9168, abs=5e-5)
    assert stages["pixel similarity, 7s"].accuracy == pytest.approx(0.9854, abs=5e-5)
    assert stages["Learner + linear (10 epochs)"].accuracy >= 0.97
    # The CPU gives 0.9701 here, one image (0.0005) above 0.97: hold it to the book's low end.
    assert stages["linear, chapter's SGD (20 epochs)"].accuracy >= 0.9696
