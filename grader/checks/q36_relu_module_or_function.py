"""Checks for question 36: ReLU as a module for nn.Sequential, and as a plain function."""
import torch
import torch.nn.functional as F
from hypothesis import given, strategies as st
from torch import nn

from ..question import BEHAVIOUR, SOURCE, Question
from ..student import Remote
from ._helpers import assert_close, kind, seed_torch, to_tensor
from ._source import reachable

QUESTION = Question(
    title="F.relu and nn.ReLU",
    source=36,
    hints=[
        "relu_layer: nn.Sequential holds modules, objects made from a class, that it calls one after the other; a "
        "function is not a module, and neither is a class you have not called yet. apply_relu: the form you call "
        "like any function.",
        "relu_layer returns `nn.ReLU()` (note the brackets); apply_relu returns `F.relu(x)`.",
    ],
)


def _is_a(student, obj, cls: type) -> bool:
    """isinstance, asked where the object lives (a student's object stays in the student's process)."""
    if isinstance(obj, Remote):
        return student.isinstance(obj, f"{cls.__module__}.{cls.__qualname__}")
    return isinstance(obj, cls)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 6), st.integers(0, 10_000))
def test_relu_layer_is_a_module_nn_sequential_can_hold(student, n, seed):
    """Graded: "that relu_layer's result works as a layer of nn.Sequential, with no parameters". Rule: "return
    something that can sit between two layers of an `nn.Sequential`"."""
    layer = student.function("relu_layer")()
    if _is_a(student, layer, type):
        raise AssertionError("relu_layer returned a class itself: return an instance of it (call the class)")
    assert _is_a(student, layer, nn.Module), (
        f"relu_layer returned a {kind(layer)}, not a module "
        "(an nn.Module instance): nn.Sequential only holds modules"
    )
    assert not layer.state_dict(), "a ReLU layer has nothing to learn: it should have no parameters"
    seed_torch(seed)
    first, second = nn.Linear(5, 4), nn.Linear(4, 2)
    x = torch.randn(n, 5)
    with torch.no_grad():
        hidden = first(x)
        got = second(to_tensor(layer(hidden.clone()), "relu_layer()'s output").float())  # what nn.Sequential does
        expected = second(F.relu(hidden))
    assert_close(got, expected, "the output of Linear, then relu_layer(), then Linear")


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 10_000))
def test_apply_relu_matches_relu(student, rows, cols, seed):
    """Graded: "apply_relu's results". Rule: "return the ReLU of the tensor `x`"."""
    x = torch.randn(rows, cols, generator=torch.Generator().manual_seed(seed)) * 3
    assert_close(student.function("apply_relu")(x.clone()), torch.relu(x), f"apply_relu on a {rows}x{cols} tensor")


FUNCTIONAL = ("torch.relu", "torch.relu_", "torch.nn.functional.relu", "torch.nn.functional.relu_")


@QUESTION.part(points=1, kind=SOURCE)
def test_apply_relu_calls_the_functional_form(student):
    """Graded: "that apply_relu calls the functional form". Rule: "using the form that is a plain function call (no
    layer object created)"."""
    ran = student.function("apply_relu")(torch.tensor([[-2.0, 0.5], [3.0, -0.1]]))
    assert ran is not None, "apply_relu returned None: return the result, then see how it is written"
    code = reachable(student, "apply_relu")
    assert not code.uses({"ReLU"}), \
        "apply_relu creates an nn.ReLU module: use the functional form, a plain function call, instead"
    methods = [call for call in code.calls() if call.endswith(".relu") and call.split(".", 1)[0] not in code.aliases]
    assert any(call in FUNCTIONAL for call in code.calls()) or methods, (
        "apply_relu should call PyTorch's ReLU as a plain function (F.relu, torch.relu or the tensor's .relu()), "
        "not rebuild it from clamp or a comparison"
    )
