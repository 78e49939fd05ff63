"""Checks for question 11: accuracy, and the experiment that shows where it belongs: a small net learns ten
digits by heart, with their real labels or with made-up ones, and only digits it never saw tell how good it is."""
import torch
from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ._helpers import assert_choice, embedded_sample, held_out_accuracy, kind, to_number, to_tensor
from ._source import assert_given_unchanged

QUESTION = Question(
    title="Where metrics are measured",
    source=11,
    hints=[
        "accuracy: compare each score with 0 to get a prediction, compare the predictions with the labels, and "
        "average the matches. overfit: a loop that calls train until the net gets every row right. WHY: look at "
        "what your experiment prints for the made-up labels.",
        "accuracy is `((model(x) > 0).float() == y).float().mean().item()`; overfit is `net = small_net()`, then "
        "`while accuracy(net, x, y) < 1.0: train(net, x, y)`, then `return net`. WHY: a net that knows its training "
        "digits by heart scores 100% on them whatever it learned.",
    ],
)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.integers(1, 60), st.integers(1, 8), st.integers(0, 2**16))
@example(5, 3, 0)
def test_accuracy_is_the_share_of_rows_classified_correctly(student, n, features, seed):
    """Graded: "your accuracy for many models and sets". Rules: "the share of the rows of `x` that `model`
    classifies correctly, a number between 0 and 1", "a score above 0 means", "0 itself means"."""
    g = torch.Generator().manual_seed(seed)
    x, weights = torch.randn(n, features, generator=g), torch.randn(features, 1, generator=g)
    x[torch.rand(n, generator=g) < 0.2] = 0.0  # rows whose score is exactly 0: a 7
    y = torch.randint(0, 2, (n, 1), generator=g).float()
    scores = x @ weights
    got = to_number(student.function("accuracy")(lambda rows: torch.as_tensor(rows) @ weights, x.clone(), y.clone()),
                    "accuracy's result")
    expected = ((scores > 0).float() == y).float().mean().item()
    if abs(got - expected) < 1e-6:
        return
    known = {((scores > 0.5).float() == y).float().mean().item():
             "that is the share with the scores compared with 0.5: a raw score above 0 means a 3",
             ((scores >= 0).float() == y).float().mean().item(): "that counts a score of exactly 0 as a 3",
             expected * n: "that is the number of rows classified correctly: divide it by the number of rows"}
    advice = next((text for value, text in known.items() if abs(got - value) < 1e-6), "")
    raise AssertionError(f"accuracy on {n} row{'s' * (n != 1)} returned {got:.4g}, but the model classifies {expected:.4g} of them "
                         f"correctly" + (f": {advice}" if advice else ""))


def _ten_digits() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Ten embedded training digits, their real labels, and labels of which five are flipped."""
    x, y = embedded_sample().xy("train")
    g = torch.Generator().manual_seed(11)
    rows = torch.randperm(len(x), generator=g)[:10]
    made_up = y[rows].clone()
    flipped = torch.randperm(10, generator=g)[:5]
    made_up[flipped] = 1 - made_up[flipped]
    return x[rows], y[rows], made_up


def _share_right(net, x: torch.Tensor, y: torch.Tensor) -> float:
    scores = to_tensor(net(x.clone()), "the net's output")
    assert scores.numel() == len(x), f"the net overfit returned gives {scores.numel()} scores for {len(x)} rows"
    return ((scores.reshape(-1, 1) > 0).double() == y.double()).double().mean().item()


@QUESTION.part(points=3, kind=BEHAVIOUR)
def test_overfit_learns_ten_digits_by_heart_whatever_their_labels(student):
    """Graded: "that your overfit net gets its ten digits right, whatever their labels, having trained on them
    alone". Rules: "make a net with `small_net()`", "train it on exactly the rows `x` and labels `y` it is given",
    "return it once `accuracy(net, x, y)` is 1.0"."""
    for given_name in ("small_net", "train"):
        assert_given_unchanged(student, given_name)
    x, real, made_up = _ten_digits()
    valid_x, valid_y = embedded_sample().xy("valid")
    overfit = student.function("overfit")
    for name, labels in (("real labels", real), ("made-up labels", made_up)):
        net = overfit(x.clone(), labels.clone())
        assert student.isinstance(net, "torch.nn.Module") if hasattr(net, "type_name") and kind(net) != "Figure" \
            else False, f"overfit should return the trained net (an nn.Module), got {kind(net)}"
        right = _share_right(net, x, labels)
        if right < 1.0:
            other = (": with their real labels it got them all, so it learned from something else than the rows and "
                     "labels it was given; train on those alone") if name == "made-up labels" else (
                ": call train again while accuracy(net, x, y) is below 1.0")
            raise AssertionError(f"overfit, given ten digits with {name}, returned a net that gets {right:.0%} of "
                                 f"them right{other}")
        student.record(f"training digits, {name}", right)
        student.record(f"validation digits, {name}", _share_right(net, valid_x, valid_y))
        if name == "real labels":
            student.record("held-out digits, real labels", held_out_accuracy(net))


@QUESTION.part(points=1, kind=CHOICE)
def test_explains_why(student):
    """Graded: "the letter"."""
    assert_choice(student.value("WHY"), "b", "abcd", "WHY")
