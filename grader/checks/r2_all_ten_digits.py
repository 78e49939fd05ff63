"""Checks for research task 2: cross-entropy by hand, a ten-digit model, a confusion matrix."""
import ast
import time

import torch
import torch.nn.functional as F
from hypothesis import given, strategies as st
from torch import nn

from ..question import Question
from ..student import Remote
from ._helpers import assert_close, to_tensor
from ...reference import load_mnist_digits

QUESTION = Question(
    title="All ten digits",
    source="Further Research 2",
    hints=[
        "Ten outputs per image, one per digit; the loss is minus the log of the softmax probability of the "
        "right digit. log(softmax(z)) = z - log(sum(exp(z))), and logsumexp computes that last part safely.",
        "`log_probs = logits - logits.logsumexp(dim=1, keepdim=True)`, then "
        "`-log_probs[torch.arange(n), targets].mean()`. A Linear(784, 100), ReLU, Linear(100, 10) trained "
        "with plain SGD (lr 0.5, batches of 64, three epochs) gets past 90%.",
    ],
    time_limit=60,
)

READY_MADE = {"cross_entropy", "log_softmax", "nll_loss", "CrossEntropyLoss", "NLLLoss", "LogSoftmax"}


@QUESTION.part(points=2)
@given(st.integers(1, 16), st.integers(2, 12), st.sampled_from([0.1, 1.0, 10.0, 100.0, 1000.0]), st.integers(0, 10_000))
def test_cross_entropy_matches_pytorch_even_for_huge_logits(student, n, classes, scale, seed):
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


@QUESTION.part(points=1)
def test_cross_entropy_is_written_from_scratch(student):
    function = student.definition("cross_entropy")
    names = [n.attr if isinstance(n, ast.Attribute) else n.id
             for n in ast.walk(function) if isinstance(n, (ast.Attribute, ast.Name))]
    used = sorted(set(names) & READY_MADE)
    assert not used, f"cross_entropy uses PyTorch's ready-made {used[0]}: build it from exp, log, sum or logsumexp"


def _is_a(student, obj, cls: type) -> bool:
    if isinstance(obj, Remote):
        return student.isinstance(obj, f"{cls.__module__}.{cls.__qualname__}")
    return isinstance(obj, cls)


@QUESTION.part(points=2)
def test_the_trained_model_recognises_unseen_digits(student, request):
    digits = load_mnist_digits()
    started = time.monotonic()
    model = student.function("train_ten_digits")(digits.train_images.clone(), digits.train_labels.clone())
    request.node.user_properties.append(("training_seconds", time.monotonic() - started))  # leaderboards show it
    assert _is_a(student, model, nn.Module), \
        f"train_ten_digits should return the trained model, an nn.Module, got {getattr(model, 'type_name', type(model).__name__)}"
    model.eval()
    x = digits.valid_images.reshape(-1, 28 * 28)
    with torch.no_grad():
        logits = to_tensor(model(x.clone()), "the model's output")
    assert logits.shape == (len(x), 10), \
        f"the model maps {tuple(x.shape)} images to shape {tuple(logits.shape)}, expected ({len(x)}, 10): one score per digit"
    accuracy = (logits.argmax(dim=1) == digits.valid_labels).double().mean().item()
    request.node.user_properties.append(("held_out_accuracy", accuracy))
    per_digit = [(logits.argmax(dim=1)[digits.valid_labels == d] == d).double().mean().item() for d in range(10)]
    worst = min(range(10), key=lambda d: per_digit[d])
    assert accuracy >= 0.85, (
        f"the model recognises {accuracy:.1%} of 1,000 unseen digits, expected at least 85% "
        f"(its weakest digit is {worst}, at {per_digit[worst]:.0%})"
    )


@QUESTION.part(points=1)
@given(st.integers(2, 10), st.integers(0, 60), st.integers(0, 10_000))
def test_confusion_matrix_counts_true_against_predicted(student, classes, n, seed):
    g = torch.Generator().manual_seed(seed)
    targets = torch.randint(0, classes, (n,), generator=g)
    preds = torch.where(torch.rand(n, generator=g) < 0.5, targets, torch.randint(0, classes, (n,), generator=g))
    expected = torch.zeros(classes, classes, dtype=torch.long).index_put_((targets, preds), torch.ones(n, dtype=torch.long),
                                                                          accumulate=True)
    got = student.function("confusion_matrix")(preds.clone(), targets.clone(), classes)
    assert_close(got, expected, f"confusion_matrix for {n} items of {classes} classes (rows: true class, "
                                "columns: predicted class)", rtol=0, atol=0)
