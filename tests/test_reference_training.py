"""fastquiz.reference.training: the chapter's hand-written loop for linear1 (before Learner)."""
from __future__ import annotations

import pytest
import torch

from fastquiz.reference import (
    BasicOptim, DataLoader, DataLoaders, batch_accuracy, calc_grad, init_params, linear1, mnist_loss, train_epoch,
    train_linear, validate_epoch,
)


@pytest.fixture(scope="module")
def embedded_dls(embedded_sample) -> DataLoaders:
    return DataLoaders.from_tensors(embedded_sample.xy("train"), embedded_sample.xy("valid"), batch_size=256, seed=42)


def _linear_problem(seed: int = 0, n: int = 10):
    torch.manual_seed(seed)
    weights, bias = init_params((784, 1)), init_params(1)
    x = torch.rand(n, 784)
    y = (torch.rand(n, 1) > 0.5).float()
    return weights, bias, x, y


def test_calc_grad_puts_the_gradient_of_mnist_loss_in_each_parameter():
    weights, bias, x, y = _linear_problem()
    expected = torch.autograd.grad(mnist_loss(linear1(x, weights, bias), y), [weights, bias])
    calc_grad(x, y, lambda xb: linear1(xb, weights, bias))
    assert torch.allclose(weights.grad, expected[0]) and torch.allclose(bias.grad, expected[1])


def test_train_epoch_steps_once_per_batch_and_leaves_no_gradient_behind():
    weights, bias, x, y = _linear_problem(n=10)
    steps = []

    class CountingOptim(BasicOptim):
        def step(self):
            steps.append(1)
            super().step()

    before = weights.detach().clone()
    train_epoch(lambda xb: linear1(xb, weights, bias), DataLoader((x, y), batch_size=4), CountingOptim([weights, bias], 1.0))
    assert len(steps) == 3
    assert not torch.equal(weights, before)
    assert weights.grad is None and bias.grad is None


def test_validate_epoch_is_the_accuracy_over_every_item_not_the_mean_of_batch_means():
    x = torch.tensor([[1.0], [1.0], [1.0], [-1.0], [1.0]])
    y = torch.tensor([[1.0], [1.0], [1.0], [1.0], [0.0]])  # 3 of 5 right; the batch means 1.0 and 0.0 average 0.5
    accuracy = validate_epoch(lambda xb: xb, DataLoader((x, y), batch_size=3))
    assert accuracy == pytest.approx(0.6)
    assert accuracy == pytest.approx(batch_accuracy(x, y).item())


def test_validate_epoch_records_no_gradient():
    weights, bias, x, y = _linear_problem()
    validate_epoch(lambda xb: linear1(xb, weights, bias), DataLoader((x, y), batch_size=4))
    assert weights.grad is None


def test_train_linear_returns_one_accuracy_per_epoch_and_calls_on_epoch_each_time(embedded_dls):
    calls = []
    accuracies = train_linear(embedded_dls, epochs=5, lr=1.0, seed=42, on_epoch=lambda: calls.append(1))
    assert len(accuracies) == 5 and len(calls) == 5
    assert all(0 <= a <= 1 for a in accuracies)


def test_train_linear_improves_on_its_first_epoch_on_the_embedded_digits(embedded_dls):
    accuracies = train_linear(embedded_dls, epochs=20, lr=1.0, seed=42)
    assert accuracies[-1] > accuracies[0]
    assert max(accuracies) > 0.85  # on the 50 + 50 public validation digits


def test_train_linear_is_repeatable_for_a_seed(embedded_sample):
    def run() -> list[float]:
        dls = DataLoaders.from_tensors(embedded_sample.xy("train"), embedded_sample.xy("valid"), 256, seed=5)
        return train_linear(dls, epochs=3, lr=1.0, seed=5)

    assert run() == run()


@pytest.mark.slow
def test_the_chapters_linear_model_reaches_97_percent_on_the_full_sample(full_sample):
    dls = DataLoaders.from_tensors(full_sample.xy("train"), full_sample.xy("valid"), batch_size=256, seed=42)
    accuracies = train_linear(dls, epochs=20, lr=1.0, seed=42)
    assert accuracies[-1] >= 0.97
