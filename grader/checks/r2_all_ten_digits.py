"""Checks for research task 2: cross-entropy by hand, a ten-digit model judged on digits it never saw
(the full MNIST's testing folder when it is downloaded), a confusion matrix.

The judged digits reach the student's worker only once `train_ten_digits` has returned, as inputs
to the model it returned; their labels stay in the check's process."""
import time

import torch
import torch.nn.functional as F
from hypothesis import given, strategies as st
from torch import nn

from ..question import BEHAVIOUR, SOURCE, Question
from ..student import Remote
from ._helpers import assert_close, kind, ten_digits, to_tensor
from ._ready_made import LOG_SOFTMAXES
from ._source import assert_given_unchanged, reachable

QUESTION = Question(
    title="All ten digits",
    source="Further Research 2",
    hints=[
        "cross_entropy: minus the log of the softmax probability of the right digit; log(softmax(z)) = z - "
        "log(sum(exp(z))), and logsumexp computes that last part safely. train_ten_digits: ten outputs per image, "
        "one per digit. confusion_matrix: one count per (true, predicted) pair.",
        "cross_entropy: `log_probs = logits - logits.logsumexp(dim=1, keepdim=True)`, then "
        "`-log_probs[torch.arange(n), targets].mean()`. train_ten_digits: a Linear(784, 100), ReLU, Linear(100, 10) "
        "trained with plain SGD (lr 0.5, batches of 64; three epochs of the embedded digits, one of the full MNIST) "
        "gets past 90%. confusion_matrix: `matrix[true, predicted] += 1` for each item.",
    ],
    time_limit=90,
    judged_on_mnist=True,
)
BARS = {False: 0.85, True: 0.93}  # the accuracy to reach on the embedded digits, on the full MNIST



@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 16), st.integers(2, 12), st.sampled_from([0.1, 1.0, 10.0, 100.0, 1000.0]), st.integers(0, 10_000))
def test_cross_entropy_matches_pytorch_even_for_huge_logits(student, n, classes, scale, seed):
    """Graded: "your loss and its gradient on random logits of every size, against PyTorch's". Rules: "return the
    mean of minus those values, as a tensor with one number", "It must stay finite for huge scores"."""
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(n, classes, generator=g) * scale
    targets = torch.randint(0, classes, (n,), generator=g)
    got = to_tensor(student.function("cross_entropy")(logits.clone(), targets.clone()), "cross_entropy's result")
    assert got.numel() == 1, f"cross_entropy should return one number (the mean over the rows), got shape {tuple(got.shape)}"
    assert torch.isfinite(got).all(), (
        f"cross_entropy gave {got.item()} for logits of size about {scale:g}: exp overflows for large logits; "
        "subtract each row's maximum first, or use logsumexp"
    )
    assert_close(got.reshape(()), F.cross_entropy(logits, targets),
                 f"cross_entropy on {n} rows of {classes} logits (scale {scale:g})", rtol=1e-4, atol=1e-4)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 16), st.integers(2, 12), st.integers(0, 10_000))
def test_cross_entropy_has_pytorchs_gradient(student, n, classes, seed):
    """Graded: "your loss and its gradient on random logits of every size, against PyTorch's". Rules: "Write
    `cross_entropy(logits, targets)` yourself", "keep it differentiable (torch only)"."""
    assert_given_unchanged(student, "cross_entropy_gradient")
    g = torch.Generator().manual_seed(seed)
    logits, targets = torch.randn(n, classes, generator=g) * 3, torch.randint(0, classes, (n,), generator=g)
    try:
        got = student.function("cross_entropy_gradient")(logits.clone(), targets.clone())
    except Exception as error:  # noqa: BLE001 (only autograd's complaint is translated; the rest goes on up)
        if "does not require grad" in str(error) or "has no attribute 'backward'" in str(error):
            raise AssertionError("backward() can't run through cross_entropy's result: compute it from the logits "
                                 "with torch operations (no .item(), no numpy, no torch.tensor(...) around a result)") from None
        raise
    assert got is not None, "cross_entropy_gradient returned None: keep the given function as it is"
    expected = logits.clone().requires_grad_()
    F.cross_entropy(expected, targets).backward()
    assert_close(got, expected.grad, f"the gradient of cross_entropy on {n} rows of {classes} logits")


@QUESTION.part(points=1, kind=SOURCE)
def test_cross_entropy_is_written_from_scratch(student):
    """Graded: "that it is built from scratch". Rule: "from tensor operations (not F.cross_entropy, log_softmax,
    nll_loss or their nn classes)"."""
    got = student.function("cross_entropy")(torch.tensor([[2.0, 0.0], [0.0, 3.0]]), torch.tensor([0, 1]))
    assert got is not None, "cross_entropy returned None: return the loss, a tensor with one number"
    used = reachable(student, "cross_entropy").uses(LOG_SOFTMAXES)
    assert not used, (
        f"cross_entropy (or a helper it calls) uses PyTorch's ready-made {used[0]}: build it from exp, log, sum or "
        "logsumexp"
    )


def _is_a(student, obj, cls: type) -> bool:
    if isinstance(obj, Remote):
        return student.isinstance(obj, f"{cls.__module__}.{cls.__qualname__}")
    return isinstance(obj, cls)


@QUESTION.part(points=4, kind=BEHAVIOUR)
def test_the_trained_model_recognises_digits_it_never_saw(student):
    """Graded: "how well your trained model recognises digits it never saw". Rule: "The returned model must map a
    batch of flattened images, shape (n, 784), to logits of shape (n, 10)"."""
    digits = ten_digits()
    started = time.monotonic()
    model = student.function("train_ten_digits")(digits.train_images.clone(), digits.train_labels.clone())
    student.record("training_seconds", time.monotonic() - started)  # for the class's leaderboard
    assert _is_a(student, model, nn.Module), \
        f"train_ten_digits should return the trained model, an nn.Module, got {kind(model)}"
    model.eval()
    x, labels = digits.judged_images.reshape(-1, 28 * 28), digits.judged_labels
    logits = torch.cat([to_tensor(model(chunk.clone()), "the model's output") for chunk in x.split(2000)])
    assert logits.shape == (len(x), 10), \
        f"the model maps images of shape (n, 784) to shape {tuple(logits.shape[1:])} per batch, expected (n, 10): one score per digit"
    predicted = logits.argmax(dim=1)
    accuracy = (predicted == labels).double().mean().item()
    student.record("held_out_accuracy", accuracy)  # the one figure of it: check, the report and grade show this
    student.record("judged_digits", len(labels))
    per_digit = [(predicted[labels == d] == d).double().mean().item() for d in range(10)]
    worst = min(range(10), key=lambda d: per_digit[d])
    bar = BARS[digits.full]
    assert accuracy >= bar, (
        f"the model recognises {accuracy:.1%} of {len(x):,} digits it never saw, expected at least {bar:.0%} "
        f"(its weakest digit is {worst}, at {per_digit[worst]:.0%}); judged on {digits.description}"
    )


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(st.integers(2, 10), st.integers(0, 60), st.integers(0, 10_000))
def test_confusion_matrix_counts_true_against_predicted(student, classes, n, seed):
    """Graded: "your confusion matrices". Rule: "row i, column j counts the items of true class i that were predicted
    as class j"."""
    g = torch.Generator().manual_seed(seed)
    targets = torch.randint(0, classes, (n,), generator=g)
    preds = torch.where(torch.rand(n, generator=g) < 0.5, targets, torch.randint(0, classes, (n,), generator=g))
    expected = torch.zeros(classes, classes, dtype=torch.long).index_put_((targets, preds), torch.ones(n, dtype=torch.long),
                                                                          accumulate=True)
    got = student.function("confusion_matrix")(preds.clone(), targets.clone(), classes)
    assert_close(got, expected, f"confusion_matrix for {n} items of {classes} classes (rows: true class, "
                                "columns: predicted class)", rtol=0, atol=0)
