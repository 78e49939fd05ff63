"""Checks for question 37: count a stack's parameters; a deep narrow net that draws a saw a shallow one
needs exponentially many units for."""
import numbers

import torch
from hypothesis import given, strategies as st
from torch import nn

from ..question import BEHAVIOUR, Question
from ..student import Remote, StudentError
from ._helpers import assert_close, kind, to_tensor

QUESTION = Question(
    title="Why deeper networks?",
    source=37,
    hints=[
        "count_parameters: a layer from n_in inputs to n_out outputs has a weight for every (input, output) pair, "
        "and something more for every output. deep_saw: each block is one tent; what must its two hidden units "
        "compute?",
        "count_parameters: each layer has n_in * n_out weights plus n_out biases. deep_saw: a tent block has hidden "
        "weights [[1], [1]], hidden biases [0, -0.5], output weights [[2, -4]], output bias 0; repeat it k times in "
        "one nn.Sequential.",
    ],
)


def _built(sizes: list[int]) -> int:
    """The parameters of the stack, counted by PyTorch (on the meta device: no memory used)."""
    layers = [nn.Linear(n_in, n_out, device="meta") for n_in, n_out in zip(sizes, sizes[1:])]
    return sum(p.numel() for p in nn.Sequential(*layers).parameters())


@QUESTION.part(points=3, kind=BEHAVIOUR)
@given(st.lists(st.integers(1, 1000), min_size=2, max_size=6))
def test_count_parameters_matches_pytorch(student, sizes):
    """Graded: "your counts for random stacks, against PyTorch's". Rule: "Count every number SGD would update"."""
    got = student.function("count_parameters")(list(sizes))
    expected = _built(sizes)
    assert isinstance(got, numbers.Integral) or (isinstance(got, torch.Tensor) and got.numel() == 1), \
        f"count_parameters({sizes}) should return a whole number, got {kind(got)}"
    pairs = list(zip(sizes, sizes[1:]))
    advice = {sum(i * o for i, o in pairs): ": that counts the weights only; each layer has a bias for each output too",
              sum(i * o + i for i, o in pairs): ": that counts a bias for each input; there is one for each output"}
    assert int(got) == expected, (f"count_parameters({sizes}) returned {int(got)}, but nn.Linear layers of these sizes "
                                  f"hold {expected} trainable numbers" + advice.get(int(got), ""))


def _saw(x: torch.Tensor, k: int) -> torch.Tensor:
    for _ in range(k):
        x = torch.where(x <= 0.5, 2 * x, 2 - 2 * x)
    return x


@QUESTION.part(points=3, kind=BEHAVIOUR)
def test_a_deep_narrow_net_draws_the_saw_with_few_parameters(student):
    """Graded: "your saw's outputs for k up to 10 on a fine grid of [0, 1], with its number of parameters, which must
    stay far below what a single hidden layer needs". Rules: "an `nn.Sequential` of k blocks `nn.Linear(1, 2),
    nn.ReLU(), nn.Linear(2, 1)`", "it outputs the tent applied k times"."""
    x = torch.linspace(0, 1, 2049).unsqueeze(1)
    for k in (1, 2, 5, 10):
        model = student.function("deep_saw")(k)
        is_module = student.isinstance(model, "torch.nn.Module") if isinstance(model, Remote) else \
            isinstance(model, nn.Module)
        assert is_module, f"deep_saw({k}) should return an nn.Sequential, got {kind(model)}"
        got = to_tensor(model(x.clone()), f"deep_saw({k})'s output")
        assert got.numel() == len(x), f"deep_saw({k}) maps {len(x)} inputs of shape (n, 1) to shape {tuple(got.shape)}"
        assert_close(got.reshape(-1, 1), _saw(x.double(), k),
                     f"deep_saw({k})'s outputs on [0, 1] (the tent applied {k} time(s): "
                     f"a saw of {2 ** (k - 1)} tooth/teeth)",
                     rtol=0, atol=1e-3)
        mine = sum(to_tensor(t, "a parameter").numel() for t in model.state_dict().values())
        shallow = 3 * (2 ** k - 1) + 1  # one hidden unit per bend: 2**k - 1 units, 3 numbers each, and the output's bias
        student.record(f"parameters for a saw of k={k}, your deep net", mine)
        try:
            counted = int(student.function("count_parameters")([1, 2 ** k - 1, 1]))
            student.record(f"parameters for a saw of k={k}, one hidden layer (your count_parameters)", counted)
        except (StudentError, TypeError, ValueError):
            pass  # count_parameters is graded in its own part
        assert mine <= 7 * k + 10 or mine * 4 <= shallow, (
            f"deep_saw({k}) has {mine} parameters; one hidden layer needs {shallow}: a deep narrow net should need "
            "far fewer (a block of two hidden units per tent)")
