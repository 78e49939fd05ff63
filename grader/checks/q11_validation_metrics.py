"""Checks for question 11: a metric is measured on data the model never trained on."""
from functools import partial

import torch
from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, CHOICE, Question
from ..probes import memorised_logits
from ._helpers import assert_choice

QUESTION = Question(
    title="Where metrics are measured",
    source=11,
    hints=[
        "A model can score perfectly on the items it was trained on simply by remembering them. "
        "Which of the two sets has the model never seen?",
        "Classify the validation rows: `(model(valid_x) > 0).float()`, compare with `valid_y`, "
        "and take the mean of the matches as a float.",
    ],
    sends=("fastquiz.grader.probes",),  # what its checks hand to the answer to run there
)


@QUESTION.part(points=3, kind=BEHAVIOUR)
@given(st.integers(5, 60), st.integers(5, 40), st.integers(1, 8), st.integers(0, 2**16))
def test_measures_accuracy_on_the_items_the_model_never_saw(student, n_train, n_valid, features, seed):
    g = torch.Generator().manual_seed(seed)
    train_x, valid_x = torch.randn(n_train, features, generator=g), torch.randn(n_valid, features, generator=g)
    rule = torch.randn(features, 1, generator=g)
    train_y = torch.randint(0, 2, (n_train, 1), generator=g).float()
    # The rule is right on the validation items where `right` is True: never all of them.
    right = torch.rand(n_valid, 1, generator=g) < 0.5
    right[0] = False
    valid_y = torch.where(right, (valid_x @ rule > 0).float(), (valid_x @ rule <= 0).float())
    expected = right.float().mean().item()

    model = partial(memorised_logits, train_x, train_y, rule)
    got = student.function("evaluate")(model, train_x.clone(), train_y.clone(), valid_x.clone(), valid_y.clone())
    try:
        got = float(got)
    except (TypeError, ValueError):
        raise AssertionError(f"evaluate should return one number (a float), got {type(got).__name__}") from None
    assert got == got, "evaluate returned nan: count the correct predictions and divide by the number of items"
    assert 0 <= got <= 1, f"evaluate returned {got:g}: give the accuracy as a fraction between 0 and 1, not a percentage"
    assert abs(got - 1.0) > 1e-6 or expected == 1.0, (
        "evaluate returned 1.0 for a model that memorised its training items but guesses on new ones: "
        "that is the training accuracy, which says nothing about unseen data")
    assert abs(got - expected) < 1e-6, (
        f"evaluate returned {got:.4f}, but the model classifies {expected:.4f} of the items it never saw correctly: "
        "measure accuracy on the validation set only")


@QUESTION.part(points=1, kind=CHOICE)
def test_explains_why(student):
    assert_choice(student.value("WHY"), "b", "abcd", "WHY")
