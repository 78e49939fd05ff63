"""fastquiz.reference.models and device: the chapter's two models and where tensors go."""
from __future__ import annotations

import pytest
import torch
from torch import nn

from fastquiz.reference import default_device, linear_model, simple_net


def test_linear_model_has_one_weight_per_pixel_and_a_bias():
    model = linear_model()
    assert isinstance(model, nn.Linear)
    assert [p.shape for p in model.parameters()] == [(1, 784), (1,)]
    assert model(torch.rand(5, 784)).shape == (5, 1)


def test_simple_net_is_two_linear_layers_with_a_relu_between():
    model = simple_net()
    assert [type(layer) for layer in model] == [nn.Linear, nn.ReLU, nn.Linear]
    assert [p.shape for p in model.parameters()] == [(30, 784), (30,), (1, 30), (1,)]
    assert model(torch.rand(5, 784)).shape == (5, 1)


def test_simple_net_takes_the_width_of_its_hidden_layer():
    assert simple_net(n_hidden=7)[0].out_features == 7


def test_simple_net_is_not_linear_in_its_input():
    torch.manual_seed(0)
    model = simple_net()
    x = torch.rand(3, 784)
    with torch.no_grad():
        assert not torch.allclose(model(x) + model(-x), 2 * model(torch.zeros(3, 784)))


def test_auto_device_is_cuda_exactly_when_a_gpu_is_present():
    assert default_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_cpu_device_is_always_available():
    assert default_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_asking_for_cuda_without_a_gpu_is_an_error():
    with pytest.raises(RuntimeError, match="no CUDA device"):
        default_device("cuda")
