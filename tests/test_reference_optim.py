"""fastquiz.reference.optim: BasicOptim and the SGD factory."""
from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from fastquiz.reference import SGD, BasicOptim


def _params_with_grads(seed: int) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    params = [torch.randn(4, 3, generator=g).requires_grad_(), torch.randn(3, generator=g).requires_grad_()]
    for p in params:
        p.grad = torch.randn(p.shape, generator=g)
    return params


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), lr=st.floats(1e-4, 10.0))
def test_step_moves_every_parameter_by_minus_lr_times_its_gradient(seed, lr):
    params = _params_with_grads(seed)
    expected = [(p - lr * p.grad).detach() for p in params]
    BasicOptim(params, lr).step()
    for p, e in zip(params, expected):
        assert torch.allclose(p, e, atol=1e-5)


def test_step_updates_in_place_and_keeps_parameters_as_trainable_leaves():
    params = _params_with_grads(0)
    before = [p.data_ptr() for p in params]
    BasicOptim(params, 0.1).step()
    assert [p.data_ptr() for p in params] == before
    assert all(p.is_leaf and p.requires_grad and p.grad_fn is None for p in params)


def test_step_skips_parameters_that_have_no_gradient():
    with_grad, without = _params_with_grads(1)[0], torch.ones(3, requires_grad=True)
    BasicOptim([with_grad, without], 1.0).step()
    assert torch.equal(without, torch.ones(3))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_zero_grad_clears_every_gradient(seed):
    params = _params_with_grads(seed)
    opt = BasicOptim(params, 0.5)
    opt.zero_grad()
    assert all(p.grad is None for p in params)


def test_gradients_do_not_accumulate_across_steps_after_zero_grad():
    w = torch.tensor([1.0], requires_grad=True)
    opt = BasicOptim([w], 0.1)
    for _ in range(2):
        (3 * w).sum().backward()
        opt.step()
        opt.zero_grad()
    assert w.item() == pytest.approx(1.0 - 2 * 0.1 * 3)


def test_sgd_builds_a_basic_optim_over_the_given_parameters_and_lr():
    params = _params_with_grads(2)
    opt = SGD(iter(params), 0.25)
    assert isinstance(opt, BasicOptim)
    assert opt.lr == 0.25 and opt.params == params
