"""Checks for question 17: gradient descent on a*x**2, and the learning rate where it diverges."""
import math

from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, Question
from ._helpers import assert_close, which

QUESTION = Question(
    title="Learning rates that are too high",
    source=17,
    hints=[
        "gd_path: one step is x_next = x - lr * 2 * a * x = x * (1 - 2 * a * lr); keep x0 and every x after it. "
        "largest_stable_lr: what does multiplying by that factor again and again do to |x|?",
        "gd_path is `[x0 * (1 - 2 * a * lr) ** k for k in range(steps + 1)]`. largest_stable_lr: |x| shrinks "
        "exactly when |1 - 2 * a * lr| < 1, that is 0 < lr < 1 / a.",
    ],
)


def _floats(values, what: str) -> list[float]:
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be a list of numbers, got {type(values).__name__}") from None


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.floats(0.1, 5.0), st.floats(-10.0, 10.0), st.floats(0.001, 1.0), st.integers(0, 20))
def test_follows_gradient_descent_on_a_parabola(student, a, x0, lr, steps):
    """Graded: "your paths for random parabolas, starting points, learning rates and numbers of steps". Rules: "the
    list of the `steps + 1` values of x that gradient descent goes through, starting with x0", "x becomes x minus
    the learning rate times the derivative at x"."""
    got = _floats(student.function("gd_path")(a, x0, lr, steps), "gd_path's result")
    assert len(got) == steps + 1, (
        f"gd_path(a, x0, lr, steps={steps}) returned {len(got)} values: return x0 followed by one value per step")
    expected = [x0 * (1 - 2 * a * lr) ** k for k in range(steps + 1)]
    advice = which(got, {
        "each step climbs the slope: x minus lr times the derivative": [x0 * (1 + 2 * a * lr) ** k for k in range(steps + 1)],
        "each step uses a * x for the derivative, which is 2 * a * x": [x0 * (1 - a * lr) ** k for k in range(steps + 1)]})
    assert_close(got, expected, f"gd_path({a:.4g}, {x0:.4g}, lr={lr:.4g}, {steps})", advice=advice)


def _grows(a: float, lr: float, steps: int = 100) -> bool:
    """Whether the grader's own gradient descent on a*x**2 from x=1 ends further from 0 than it started."""
    x = 1.0
    for _ in range(steps):
        x = x - lr * 2 * a * x
        if not abs(x) < 1e6:  # far gone (or overflowed to inf/nan): it grows
            return True
    return abs(x) > 1.0


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.floats(0.05, 20.0))
@example(1.0)  # the parabola of the experiment the stub suggests, shown with the result
def test_finds_where_descent_starts_to_diverge(student, a):
    """Graded: "your limit, tried by the grader's own gradient descent just below and just above it". Rule:
    "Below it, |x| shrinks at every step; above it, |x| grows at every step and training diverges"."""
    limit = student.function("largest_stable_lr")(a)
    try:
        limit = float(limit)
    except (TypeError, ValueError):
        raise AssertionError(f"largest_stable_lr should return a number, got {type(limit).__name__}") from None
    assert math.isfinite(limit) and limit > 0, \
        f"largest_stable_lr({a:.4g}) returned {limit:.4g}: the answer is a positive, finite learning rate"
    assert not _grows(a, 0.98 * limit), (
        f"for a = {a:.4g}, gradient descent with lr = 0.98 * largest_stable_lr(a) = {0.98 * limit:.4g} already "
        "diverges: the limit you found is too high")
    assert _grows(a, 1.02 * limit), (
        f"for a = {a:.4g}, gradient descent with lr = 1.02 * largest_stable_lr(a) = {1.02 * limit:.4g} still "
        "converges: the limit is higher (the fastest learning rate is not the largest stable one)")
    if a == 1.0:
        for factor in (0.9, 1.1):
            path = _floats(student.function("gd_path")(a, 1.0, factor * limit, 20), "gd_path's result")
            student.record(f"|x| after 20 steps from 1 at {factor:g} x your limit", abs(path[-1]) if path else math.nan)
