"""fastquiz.pipeline.run_pipeline and the `fastquiz pipeline` command."""
from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import torch
from click.testing import CliRunner

from fastquiz import reference as ref
from fastquiz.cli import main
from fastquiz.pipeline import BOOK, TOTAL_EPOCHS, StageResult, as_json, run_pipeline

STAGE_KEYS = {"name", "accuracy", "book", "book_range", "seconds"}
CPU = torch.device("cpu")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the test tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def empty_cache(tmp_path, monkeypatch) -> Path:
    """$FASTQUIZ_DATA and $FASTAI_HOME point at empty folders, so no cached MNIST_SAMPLE is found."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("FASTQUIZ_DATA", str(cache))
    monkeypatch.setenv("FASTAI_HOME", str(tmp_path / "fastai"))
    return cache


@pytest.fixture(scope="module")
def embedded_results(embedded_sample) -> tuple[list[StageResult], int]:
    epochs = []
    results = list(run_pipeline(embedded_sample, CPU, seed=42, on_epoch=lambda: epochs.append(1)))
    return results, len(epochs)


def _invoke(*args: str):
    return CliRunner().invoke(main, ["pipeline", *args], catch_exceptions=False)


def test_run_pipeline_yields_every_stage_in_the_chapters_order(embedded_results):
    results, _ = embedded_results
    assert [r.name for r in results] == list(BOOK)


def test_run_pipeline_reports_each_stage_beside_the_books_figure(embedded_results):
    results, _ = embedded_results
    for result in results:
        low, high = BOOK[result.name]
        assert result.book_range == (low, high) and result.book == high
        assert 0 <= result.accuracy <= 1 and result.accuracy == round(result.accuracy, 4)
        assert result.seconds >= 0


def test_run_pipeline_calls_on_epoch_once_per_training_epoch(embedded_results):
    _, epochs = embedded_results
    assert epochs == TOTAL_EPOCHS == 20 + 10 + 40


def test_run_pipeline_pixel_stages_match_the_reference_baseline(embedded_sample, embedded_results):
    results, _ = embedded_results
    s = embedded_sample
    on_3s, on_7s = ref.pixel_similarity_accuracy(s.train_3, s.train_7, s.valid_3, s.valid_7)
    assert (results[0].accuracy, results[1].accuracy) == (round(on_3s, 4), round(on_7s, 4))


def test_run_pipeline_models_learn_on_the_embedded_digits(embedded_results):
    results, _ = embedded_results
    assert all(r.accuracy > 0.85 for r in results[2:])


def test_run_pipeline_yields_the_first_result_before_training_starts(embedded_sample):
    epochs = []
    stages = run_pipeline(embedded_sample, CPU, on_epoch=lambda: epochs.append(1))
    first = next(stages)
    assert first.name == "pixel similarity, 3s" and epochs == []
    stages.close()


def test_run_pipeline_is_repeatable_for_a_seed(embedded_sample, embedded_results):
    results, _ = embedded_results
    again = list(run_pipeline(embedded_sample, CPU, seed=42))
    assert [r.accuracy for r in again] == [r.accuracy for r in results]


def test_as_json_lists_the_stages_the_device_and_the_data(embedded_results):
    results, _ = embedded_results
    doc = as_json(results, CPU, "embedded")
    assert set(doc) == {"stages", "device", "data"}
    assert doc["device"] == "cpu" and doc["data"] == "embedded"
    assert [set(stage) for stage in doc["stages"]] == [STAGE_KEYS] * len(results)
    json.dumps(doc)  # serialisable as it is


def test_pipeline_command_runs_on_the_embedded_digits_without_network(tmp_path, no_network, empty_cache):
    out = tmp_path / "pipeline.json"
    result = _invoke("--device", "cpu", "--json", str(out))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "data: embedded (800 training images), device: cpu"
    assert lines[1].split() == ["stage", "ours", "book"]
    assert [line.startswith(name) for line, name in zip(lines[2:], BOOK)] == [True] * len(BOOK)
    assert len(lines) == 2 + len(BOOK)
    assert "Training" not in result.stdout  # the progress bar goes to stderr
    assert not empty_cache.exists()  # nothing was downloaded or cached


def test_pipeline_command_table_shows_the_books_figure_or_range(tmp_path, no_network):
    result = _invoke("--device", "cpu")
    rows = {line[:36].strip(): line[36:].split() for line in result.stdout.splitlines()[2:]}
    assert rows["pixel similarity, 3s"][1] == "0.9168"
    assert rows["linear, chapter's SGD (20 epochs)"][1] == "0.9696-0.9785"
    assert rows["Learner + simple_net (40 epochs)"][1] == "0.9828"


def test_pipeline_json_has_the_documented_schema_and_matches_run_pipeline(tmp_path, no_network, embedded_results):
    out = tmp_path / "pipeline.json"
    result = _invoke("--device", "cpu", "--seed", "42", "--json", str(out))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(out.read_text())
    assert set(doc) == {"stages", "device", "data"}
    assert doc["device"] == "cpu" and doc["data"] == "embedded"
    results, _ = embedded_results
    for stage, expected in zip(doc["stages"], results, strict=True):
        assert set(stage) == STAGE_KEYS
        assert isinstance(stage["accuracy"], float) and isinstance(stage["book"], float)
        assert stage["name"] == expected.name
        assert stage["accuracy"] == expected.accuracy
        assert stage["book"] == expected.book and stage["book_range"] == list(expected.book_range)
    assert [p.name for p in tmp_path.iterdir()] == ["pipeline.json"]  # no temporary file left behind


def test_data_and_download_together_are_refused_before_anything_runs(tmp_path, no_network, empty_cache):
    result = _invoke("--data", str(tmp_path), "--download")
    assert result.exit_code == 1
    assert "give --data or --download, not both" in result.stderr
    assert result.stdout == ""
    assert not empty_cache.exists()


def test_a_missing_data_folder_is_one_line_and_exit_code_3(tmp_path):
    result = _invoke("--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: ") and "is not a folder" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.output


def test_an_incomplete_data_folder_is_exit_code_3(tmp_path):
    (tmp_path / "train" / "3").mkdir(parents=True)
    result = _invoke("--data", str(tmp_path))
    assert result.exit_code == 3
    assert "has 0 PNG files, expected 6131" in result.stderr


def test_an_unwritable_json_path_is_a_usage_error(tmp_path):
    result = _invoke("--device", "cpu", "--json", str(tmp_path / "missing" / "out.json"))
    assert result.exit_code == 2  # a usage error (see fastquiz.errors.ExitCode)
    assert "can't write" in result.stderr
    assert not (tmp_path / "missing").exists()


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_asking_for_cuda_without_a_gpu_is_a_usage_error():
    result = _invoke("--device", "cuda")
    assert result.exit_code == 1
    assert "no CUDA device" in result.stderr


def test_an_unknown_device_is_refused_by_the_option():
    result = _invoke("--device", "tpu")
    assert result.exit_code == 2


@pytest.mark.slow
def test_pipeline_download_reuses_the_cached_full_sample_and_matches_the_book(
    full_sample_dir, tmp_path, monkeypatch, no_network
):
    monkeypatch.setenv("FASTQUIZ_DATA", str(full_sample_dir.parent))
    out = tmp_path / "full.json"
    result = _invoke("--download", "--device", "cpu", "--json", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"data: {full_sample_dir} (12396 training images)")
    doc = json.loads(out.read_text())
    assert doc["data"] == str(full_sample_dir)
    accuracy = {stage["name"]: stage["accuracy"] for stage in doc["stages"]}
    assert accuracy["pixel similarity, 3s"] == 0.9168
    assert accuracy["pixel similarity, 7s"] == 0.9854
    assert accuracy["linear, chapter's SGD (20 epochs)"] >= 0.97
    assert accuracy["Learner + simple_net (40 epochs)"] >= 0.98
