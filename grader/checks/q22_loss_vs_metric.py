"""Checks for question 22: which scores are losses and which are metrics, and batch accuracy."""
import torch
from hypothesis import given, strategies as st

from ..question import Question
from ..student import NotAttempted
from ._helpers import assert_choice, assert_close, to_tensor
from ...reference import batch_accuracy

QUESTION = Question(
    title="Loss function versus metric",
    source=22,
    hints=[
        "Ask of each score: does `.backward()` get called on it so that SGD can improve the weights (a loss), "
        "or is it printed for a person to judge the model (a metric)? For batch_accuracy, sigmoid(p) > 0.5 "
        "is the same as p > 0.",
        "Accuracy and error rate are metrics; mnist_loss and the quadratic's mse are losses. "
        "`((preds.sigmoid() > 0.5) == targets.bool()).float().mean()` is the batch accuracy.",
    ],
)

KEYS = {"accuracy", "error_rate", "mnist_loss", "mse"}
ROLES = {"accuracy": "metric", "error_rate": "metric", "mnist_loss": "loss", "mse": "loss"}


@QUESTION.part(points=2)
def test_sorts_the_scores_into_losses_and_metrics(student):
    answer = student.value("LOSS_OR_METRIC")
    assert isinstance(answer, dict), f"LOSS_OR_METRIC should be a dict, got {type(answer).__name__}"
    if all(v is None for v in answer.values()) and answer:
        raise NotAttempted("LOSS_OR_METRIC has no answers yet")
    missing, extra = KEYS - set(answer), set(answer) - KEYS
    assert not missing, f"LOSS_OR_METRIC lacks the key(s) {sorted(missing)}: use exactly the four keys the stub lists"
    assert not extra, f"LOSS_OR_METRIC has unknown key(s) {sorted(extra)}: use exactly the four keys the stub lists"
    answers = {k: str(v).strip().lower() for k, v in answer.items()}
    odd = sorted(k for k, v in answers.items() if v not in ("loss", "metric"))
    assert not odd, f"LOSS_OR_METRIC[{odd[0]!r}] should be 'loss' or 'metric', got {answer[odd[0]]!r}"
    wrong = sum(answers[k] != role for k, role in ROLES.items())
    assert wrong == 0, (
        f"{wrong} of the 4 scores are sorted wrongly: for each, ask whether backward is called on it "
        "during training (a loss) or a person reads it to judge the model (a metric)"
    )


@QUESTION.part(points=2)
@given(n=st.integers(1, 40), column=st.booleans(), scale=st.sampled_from([0.3, 1.0, 5.0]),
       seed=st.integers(0, 2**32 - 1))
def test_batch_accuracy_matches_the_reference(student, n, column, scale, seed):
    g = torch.Generator().manual_seed(seed)
    shape = (n, 1) if column else (n,)
    preds = torch.randn(shape, generator=g) * scale
    targets = torch.randint(0, 2, shape, generator=g).float()
    got = to_tensor(student.function("batch_accuracy")(preds.clone(), targets.clone()), "batch_accuracy")
    expected = batch_accuracy(preds, targets)
    assert got.numel() == 1, (
        f"batch_accuracy returned {got.numel()} numbers for {n} predictions of shape {shape}: return one share, "
        "the mean of the correct/incorrect flags (and check that preds and targets keep the same shape)"
    )
    wrong_threshold = ((preds > 0.5) == targets.bool()).float().mean()
    if not torch.isclose(expected, wrong_threshold) and torch.isclose(got.reshape(()).float(), wrong_threshold):
        raise AssertionError(
            "batch_accuracy compared the raw outputs with 0.5: the 0.5 threshold applies after the sigmoid, "
            "which is the same as comparing the raw outputs with 0"
        )
    assert_close(got.reshape(()), expected, f"batch_accuracy on {n} random predictions of shape {shape}")


@QUESTION.part(points=1)
def test_knows_why_accuracy_is_not_the_loss(student):
    assert_choice(student.value("WHY_NOT_ACCURACY"), "a", "abcd",
                  "WHY_NOT_ACCURACY (think about what happens to accuracy when one weight changes very slightly)")
