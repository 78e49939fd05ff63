"""fastquiz.reference.dataloader: batches by tensor indexing, shuffling, drop_last, DataLoaders."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from fastquiz.reference import DataLoader, DataLoaders

sizes = st.integers(0, 200)
batch_sizes = st.integers(1, 64)


def _indices(dl: DataLoader) -> list[list[int]]:
    return [batch.tolist() for batch in dl]


@settings(max_examples=50, deadline=None)
@given(n=sizes, bs=batch_sizes, seed=st.integers(0, 2**31 - 1))
def test_shuffled_batches_yield_every_index_exactly_once(n, bs, seed):
    dl = DataLoader(torch.arange(n), batch_size=bs, shuffle=True, seed=seed)
    batches = _indices(dl)
    assert sorted(i for b in batches for i in b) == list(range(n))
    assert len(batches) == len(dl)
    assert all(len(b) == bs for b in batches[:-1])
    assert all(1 <= len(b) <= bs for b in batches)


@settings(max_examples=50, deadline=None)
@given(n=sizes, bs=batch_sizes, shuffle=st.booleans(), seed=st.integers(0, 2**31 - 1))
def test_drop_last_drops_only_the_final_partial_batch(n, bs, shuffle, seed):
    kept = DataLoader(torch.arange(n), batch_size=bs, shuffle=shuffle, seed=seed)
    dropped = DataLoader(torch.arange(n), batch_size=bs, shuffle=shuffle, seed=seed, drop_last=True)
    full_batches = n // bs
    assert len(dropped) == full_batches
    assert _indices(dropped) == _indices(kept)[:full_batches]  # same seed, same permutation
    assert all(len(b) == bs for b in _indices(dropped))
    assert len(kept) == full_batches + (n % bs > 0)


@settings(max_examples=30, deadline=None)
@given(n=sizes, bs=batch_sizes)
def test_without_shuffle_batches_are_consecutive_slices_in_order(n, bs):
    batches = _indices(DataLoader(torch.arange(n), batch_size=bs))
    assert batches == [list(range(start, min(start + bs, n))) for start in range(0, n, bs)]


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 100), bs=batch_sizes, seed=st.integers(0, 2**31 - 1))
def test_shuffled_inputs_stay_paired_with_their_labels(n, bs, seed):
    x = torch.arange(n).float().unsqueeze(1).repeat(1, 3)
    y = torch.arange(n) * 10
    for xb, yb in DataLoader((x, y), batch_size=bs, shuffle=True, seed=seed):
        assert xb.shape[1:] == (3,)
        assert torch.equal(xb[:, 0].long() * 10, yb)


def test_a_single_tensor_yields_tensors_and_several_yield_tuples():
    single = next(iter(DataLoader(torch.arange(10), batch_size=4)))
    pair = next(iter(DataLoader((torch.arange(10), torch.arange(10)), batch_size=4)))
    assert isinstance(single, torch.Tensor)
    assert isinstance(pair, tuple) and len(pair) == 2


def test_the_same_seed_repeats_the_order_and_each_epoch_reshuffles():
    a = DataLoader(torch.arange(100), batch_size=10, shuffle=True, seed=7)
    b = DataLoader(torch.arange(100), batch_size=10, shuffle=True, seed=7)
    first_a, second_a = _indices(a), _indices(a)
    assert first_a == _indices(b) and second_a == _indices(b)
    assert first_a != second_a
    assert first_a != [list(range(s, s + 10)) for s in range(0, 100, 10)]


def test_tensors_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same length"):
        DataLoader((torch.zeros(5), torch.zeros(6)))


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(torch.zeros(5), batch_size=0)


def test_moving_a_loader_copies_its_tensors_and_leaves_the_original_in_place():
    dl = DataLoader((torch.arange(10), torch.arange(10)), batch_size=3, shuffle=True, seed=1)
    moved = dl.to("meta")
    assert moved.device.type == "meta" and dl.device.type == "cpu"
    assert (moved.n, moved.batch_size, moved.shuffle, moved.drop_last) == (10, 3, True, False)
    assert [xb.shape for xb, _ in moved] == [(3,), (3,), (3,), (1,)]


def test_dataloaders_from_tensors_shuffle_training_batches_and_keep_validation_in_order():
    train = (torch.arange(600), torch.zeros(600))
    valid = (torch.arange(300), torch.zeros(300))
    dls = DataLoaders.from_tensors(train, valid, batch_size=256, seed=3)
    assert dls.train.shuffle and not dls.valid.shuffle
    assert dls.train.batch_size == dls.valid.batch_size == 256
    assert [len(yb) for _, yb in dls.valid] == [256, 44]
    assert torch.equal(torch.cat([xb for xb, _ in dls.valid]), torch.arange(300))
    assert dls.device == torch.device("cpu")
    assert dls.to("meta").device.type == "meta"
