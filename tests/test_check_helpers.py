"""The checks' shared tools (grader/checks/_helpers.py): a reference run worked out once per task
hands out copies that nothing can change for the next submission; q02's folder trees, built once
per task in the folder its workers may only read, and that folder as a check gets it; what
`assert_close` lets through."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from fastquiz.grader.checks._helpers import assert_close, worked_out_once


def counted():
    """A reference computation that counts its runs: a model, its parameters, a number, a leaf tensor,
    a dict and an array."""
    runs = []

    @worked_out_once
    def reference(seed: int):
        runs.append(seed)
        torch.manual_seed(seed)
        model = nn.Linear(3, 1)
        return (model, [p.detach() for p in model.parameters()], 0.2, torch.ones(2, requires_grad=True),
                {"bias": model.bias.detach()}, np.zeros(3))

    return reference, runs


def test_a_reference_run_is_worked_out_once_for_each_set_of_arguments():
    reference, runs = counted()
    for seed in (1, 1, 2, 1, 2, True):
        reference(seed)
    assert runs == [1, 2, True] and type(runs[-1]) is bool  # 1 and True may mean different things


def test_what_a_caller_changes_in_place_reaches_no_later_call():
    reference, _ = counted()
    model, parameters, _, leaf, named, array = reference(3)
    expected = [p.clone() for p in parameters]
    with torch.no_grad():
        model.weight.zero_()  # as an answer's in-place changes are copied back into the check's model
    parameters[0].add_(1)
    parameters.append(torch.zeros(1))
    leaf.data.mul_(5)
    named["bias"].add_(1)
    named["weight"] = None
    array += 1
    model_again, parameters_again, number, leaf_again, named_again, array_again = reference(3)
    assert torch.equal(model_again.weight.detach(), expected[0]) and torch.equal(model_again.bias.detach(), expected[1])
    assert len(parameters_again) == 2 and all(torch.equal(p, e) for p, e in zip(parameters_again, expected))
    assert number == 0.2
    assert torch.equal(leaf_again, torch.ones(2))
    assert list(named_again) == ["bias"] and torch.equal(named_again["bias"], expected[1])
    assert not array_again.any()
    assert model_again is not model and parameters_again[0] is not parameters[0]


def test_a_copied_tensor_keeps_whether_it_tracks_its_gradient_and_has_no_history():
    reference, _ = counted()
    leaf = reference(4)[3]
    assert leaf.requires_grad and leaf.is_leaf and leaf.grad_fn is None
    assert not reference(4)[1][0].requires_grad


def test_a_folder_tree_is_built_once_kept_whole_and_only_so_many_of_them(tmp_path, monkeypatch):
    from fastquiz.grader.checks import q02_mnist_folders as q02

    tree, stray = {("train", "3"): (2, 1), ("valid", "7"): (1, 0)}, True
    with q02._tree_in(tmp_path, tree, stray) as first:
        made = first.stat().st_mtime_ns
        files = sorted(str(p.relative_to(first)) for p in first.rglob("*"))
    assert "train/3/1000.png" in files and "preview.png" in files
    with q02._tree_in(tmp_path, tree, stray) as again:
        assert again == first and again.stat().st_mtime_ns == made, "the same example's tree is built once"
    with q02._tree_in(tmp_path, {("train", "3"): (3, 1)}, stray) as other:
        assert other != first
    assert not list(tmp_path.glob(".building-*")), "a tree is there whole, or not at all"
    q02.shutil.rmtree(first)
    with q02._tree_in(tmp_path, tree, stray) as rebuilt:
        assert rebuilt == first and sorted(str(p.relative_to(first)) for p in first.rglob("*")) == files
    monkeypatch.setattr(q02, "KEPT_TREES", 2)
    with q02._tree_in(tmp_path, {("test", "cat"): (1, 0)}, False) as passing:
        assert passing.is_dir() and (passing / "test" / "cat" / "1000.png").exists()
    assert not passing.exists() and len(list(tmp_path.glob("tree-*"))) == 2, "past KEPT_TREES, built for the call"


def test_a_checks_shared_folder_is_its_workers_and_none_is_a_grader_fault():
    """A check writes its files where the worker's settings say; a worker started without a shared
    folder gives it none to write in (never the task's working folder)."""
    import pytest

    from fastquiz.grader import catalog
    from fastquiz.grader.protocol import GraderFault
    from in_process import SOLUTIONS, loaded

    (info,) = catalog.questions(["q02_mnist_folders"])
    with loaded(info.module, (SOLUTIONS / f"{info.module}.py").read_text(), info.question) as (current, loop):
        assert current.student is not None
        assert current.student.shared_folder() == loop.folder / "shared"
        loop.settings.shared = ""
        with pytest.raises(GraderFault, match="shared folder"):
            current.student.shared_folder()


NAN, INF = math.nan, math.inf


@pytest.mark.parametrize("got, expected", [
    ([1.0, 2.0], [1.0, 2.0]), ([INF, -INF, 0.0], [INF, -INF, -0.0]), ([NAN, 1.0], [NAN, 1.0]),
    ([1.00001, 2.0], [1.0, 2.0]), (np.float32([0.1, 0.2]), torch.tensor([0.1, 0.2], dtype=torch.float64)),
])
def test_equal_values_and_values_within_the_tolerance_pass(got, expected):
    assert_close(torch.as_tensor(got), torch.as_tensor(expected), "x")


@pytest.mark.parametrize("got, expected, symptom", [
    ([1.0, 2.1], [1.0, 2.0], "off by up to 0.1"), ([NAN, 1.0], [0.0, 1.0], "off by up to inf"),
    ([INF, 1.0], [-INF, 1.0], "off by up to inf"), ([0.0, 0.0], [1.0, 2.0], "all zeros"),
    ([1.0, 2.0, 3.0], [1.0, 2.0], "has shape (3,), expected (2,)"),
])
def test_values_past_the_tolerance_or_of_another_shape_fail_and_say_how(got, expected, symptom):
    with pytest.raises(AssertionError, match=symptom.replace("(", r"\(").replace(")", r"\)")):
        assert_close(torch.tensor(got), torch.tensor(expected), "x")
