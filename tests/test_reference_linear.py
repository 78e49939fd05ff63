"""fastquiz.reference.linear: init_params, linear1, sigmoid, mnist_loss and batch_accuracy."""
from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from fastquiz.reference import batch_accuracy, init_params, linear1, mnist_loss, sigmoid

finite = st.floats(-15, 15, allow_nan=False, width=32)


def _sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_init_params_gives_a_leaf_tensor_that_tracks_gradients_with_the_requested_spread():
    torch.manual_seed(0)
    params = init_params((1000, 10), std=0.1)
    assert params.shape == (1000, 10)
    assert params.requires_grad and params.is_leaf
    assert params.std().item() == pytest.approx(0.1, rel=0.05)
    assert params.mean().item() == pytest.approx(0.0, abs=0.01)


def test_init_params_accepts_a_single_size_for_the_bias():
    assert init_params(1).shape == (1,)


def test_linear1_is_matrix_product_plus_bias():
    xb = torch.tensor([[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]])
    weights, bias = torch.tensor([[0.5], [-1.0]]), torch.tensor([2.0])
    assert linear1(xb, weights, bias).tolist() == [[0.5], [-0.5], [2.0]]


def test_sigmoid_of_zero_is_one_half():
    assert sigmoid(torch.tensor(0.0)).item() == 0.5


@settings(max_examples=50, deadline=None)
@given(xs=st.lists(finite, min_size=1, max_size=20))
def test_sigmoid_stays_strictly_between_0_and_1_and_is_symmetric(xs):
    x = torch.tensor(xs)
    y = sigmoid(x)
    assert ((0 < y) & (y < 1)).all()
    assert torch.allclose(sigmoid(-x), 1 - y, atol=1e-6)
    assert torch.allclose(y, torch.sigmoid(x), atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(a=finite, b=finite)
def test_sigmoid_is_monotonic(a, b):
    lo, hi = sorted((a, b))
    assert sigmoid(torch.tensor(lo)) <= sigmoid(torch.tensor(hi))


def test_mnist_loss_is_small_when_confident_and_correct():
    targets = torch.tensor([[1.0], [0.0]])
    assert mnist_loss(torch.tensor([[10.0], [-10.0]]), targets).item() < 1e-4


def test_mnist_loss_is_near_one_when_confident_and_wrong():
    targets = torch.tensor([[1.0], [0.0]])
    assert mnist_loss(torch.tensor([[-10.0], [10.0]]), targets).item() > 1 - 1e-4


def test_mnist_loss_is_one_half_when_undecided():
    assert mnist_loss(torch.zeros(4, 1), torch.tensor([[1.0], [0.0], [1.0], [0.0]])).item() == 0.5


def test_mnist_loss_is_the_mean_distance_of_the_sigmoid_from_the_target():
    predictions = torch.tensor([[0.9], [0.4], [-0.2]])
    targets = torch.tensor([[1.0], [0.0], [1.0]])
    expected = ((1 - _sig(0.9)) + _sig(0.4) + (1 - _sig(-0.2))) / 3
    assert mnist_loss(predictions, targets).item() == pytest.approx(expected, rel=1e-6)


def test_mnist_loss_gradient_pushes_predictions_towards_their_targets():
    predictions = torch.zeros(2, 1, requires_grad=True)
    mnist_loss(predictions, torch.tensor([[1.0], [0.0]])).backward()
    # Stepping against the gradient raises the prediction for the 3 and lowers it for the 7.
    assert predictions.grad[0, 0] < 0 < predictions.grad[1, 0]


def test_batch_accuracy_counts_predictions_on_the_right_side_of_zero():
    predictions = torch.tensor([[2.0], [-1.0], [0.5], [-3.0]])
    targets = torch.tensor([[1.0], [0.0], [0.0], [0.0]])
    assert batch_accuracy(predictions, targets).item() == 0.75


def test_batch_accuracy_treats_a_prediction_of_exactly_zero_as_a_7():
    assert batch_accuracy(torch.zeros(1, 1), torch.zeros(1, 1)).item() == 1.0
    assert batch_accuracy(torch.zeros(1, 1), torch.ones(1, 1)).item() == 0.0


@settings(max_examples=50, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.floats(-8, 8, allow_nan=False, width=32).filter(lambda v: abs(v) > 1e-3), st.booleans()),
        min_size=1, max_size=30,
    )
)
def test_batch_accuracy_is_the_share_of_positive_predictions_matching_the_labels(pairs):
    predictions = torch.tensor([[p] for p, _ in pairs])
    targets = torch.tensor([[float(t)] for _, t in pairs])
    expected = sum((p > 0) == t for p, t in pairs) / len(pairs)
    assert batch_accuracy(predictions, targets).item() == pytest.approx(expected)
