"""Checks for question 35: linear layers collapse into one; a ReLU between them stops that."""
import torch
from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, assert_close, to_tensor, which

QUESTION = Question(
    title="Activation functions",
    source=35,
    hints=[
        "collapse: write out (x @ w1 + b1) @ w2 + b2 and multiply the bracket out: which part multiplies x, and which "
        "part does not depend on x at all? two_layer: the ReLU goes on the first layer's output. ACTIVATION: what "
        "did collapse show about two layers with nothing between them?",
        "collapse returns w = w1 @ w2 and b = b1 @ w2 + b2. two_layer is `(x @ w1 + b1).clamp(min=0) @ w2 + b2`. "
        "ACTIVATION: only a nonlinear function stops the collapse.",
    ],
)

EXAMPLE = (64, 3, 8, 1, 35)  # the sizes of the run shown with the result
SIZES = st.tuples(st.integers(1, 8), st.integers(1, 7), st.integers(1, 9), st.integers(1, 6), st.integers(0, 10_000))


def _layers(n, d_in, d_hidden, d_out, seed):
    g = torch.Generator().manual_seed(seed)
    shapes = [(n, d_in), (d_in, d_hidden), (d_hidden,), (d_hidden, d_out), (d_out,)]
    return [torch.randn(shape, generator=g, dtype=torch.float64) for shape in shapes]


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(SIZES)
@example(EXAMPLE)
def test_collapse_gives_one_layer_equal_to_the_stack(student, sizes):
    """Graded: "that x @ w + b with your (w, b) equals the two stacked layers for random shapes and inputs". Rules:
    "returns `(w, b)` such that `x @ w + b` equals `out` for every input `x`", "w must be (d_in, d_out)"."""
    n, d_in, d_hidden, d_out, seed = sizes
    x, w1, b1, w2, b2 = _layers(n, d_in, d_hidden, d_out, seed)
    result = student.function("collapse")(w1.clone(), b1.clone(), w2.clone(), b2.clone())
    assert isinstance(result, (tuple, list)) and len(result) == 2, "collapse should return a pair (w, b)"
    w, b = to_tensor(result[0], "collapse's w"), to_tensor(result[1], "collapse's b")
    assert w.shape == (d_in, d_out), f"collapse's w has shape {tuple(w.shape)}, expected (d_in, d_out) = {(d_in, d_out)}"
    assert b.numel() == d_out, f"collapse's b has {b.numel()} numbers, expected one per output ({d_out})"
    stacked = (x @ w1 + b1) @ w2 + b2
    assert_close(x @ w, x @ w1 @ w2, "x @ w, with the w collapse returned, compared with the stack's weights part",
                 rtol=1e-6, atol=1e-8)
    assert_close(x @ w + b.reshape(d_out), stacked,
                 f"x @ w + b, against the two stacked layers (d_in={d_in}, d_hidden={d_hidden}, d_out={d_out}),",
                 rtol=1e-6, atol=1e-8, advice="look again at what happens to b1 in the second layer")
    if sizes == EXAMPLE:
        student.record("your one layer against the two stacked layers, largest difference",
                       (x @ w + b.reshape(d_out) - stacked).abs().max().item())


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(SIZES)
@example(EXAMPLE)
def test_two_layer_puts_a_relu_between_the_layers(student, sizes):
    """Graded: "your two_layer against the chapter's". Rule: "with a ReLU (negative numbers become zero) applied to
    the output of the first layer before it goes into the second"."""
    n, d_in, d_hidden, d_out, seed = sizes
    x, w1, b1, w2, b2 = _layers(n, d_in, d_hidden, d_out, seed)
    got = student.function("two_layer")(x.clone(), w1.clone(), b1.clone(), w2.clone(), b2.clone())
    expected = torch.relu(x @ w1 + b1) @ w2 + b2
    advice = which(got, {"that is the two layers with nothing between them: put the ReLU on the first layer's output":
                         (x @ w1 + b1) @ w2 + b2,
                         "that puts the ReLU after the second layer: it goes between the two":
                         torch.relu((x @ w1 + b1) @ w2 + b2)}, rtol=1e-6, atol=1e-8)
    assert_close(got, expected, f"two_layer on x of shape {(n, d_in)} with a hidden layer of {d_hidden}",
                 rtol=1e-6, atol=1e-8, advice=advice)
    if sizes == EXAMPLE:  # the single linear layer nearest to the student's two layers, by least squares
        inputs = torch.cat([x, torch.ones(n, 1, dtype=x.dtype)], dim=1)
        outputs = to_tensor(got, "two_layer's result")
        nearest = inputs @ torch.linalg.lstsq(inputs, outputs).solution
        student.record("your two_layer against the nearest single linear layer, root mean squared difference",
                       (outputs - nearest).pow(2).mean().sqrt().item())


@QUESTION.part(points=1, kind=CHOICE)
def test_knows_what_an_activation_function_is(student):
    """Graded: "the letter"."""
    assert_choice(student.value("ACTIVATION"), "a", "abcd", "ACTIVATION")
