"""Question 17: Learning rates that are too high (fastbook ch. 4, question 17).

Take the simplest loss with a minimum: f(x) = a * x**2 for some a > 0, whose minimum is
at x = 0 and whose derivative is 2 * a * x. Gradient descent starts from x0 and repeats
"x becomes x minus the learning rate times the derivative at x".

1. Write `gd_path(a, x0, lr, steps)`: the list of the `steps + 1` values of x that
   gradient descent goes through, starting with x0 (plain numbers).

       >>> gd_path(1.0, 4.0, 0.25, 3)
       [4.0, 2.0, 1.0, 0.5]

2. Write `largest_stable_lr(a)`: the learning rate above which the iterates stop getting
   closer to the minimum. Below it, |x| shrinks at every step; above it, |x| grows at
   every step and training diverges. Work it out from your update rule (it depends on a).

Run gd_path with a learning rate a little below your limit and one a little above it,
and look at how x moves: that is what a learning rate that is too high does to training.

Where your path ends after 20 steps, a little below your limit and a little above it, is
shown with your result.

Graded: your paths for random parabolas, starting points, learning rates and numbers of
steps; and your limit, tried by the grader's own gradient descent just below and just
above it.
"""


def gd_path(a: float, x0: float, lr: float, steps: int) -> list[float]:
    raise NotImplementedError("apply the update rule `steps` times, keeping every x")


def largest_stable_lr(a: float) -> float:
    raise NotImplementedError("find the learning rate where |x| stops shrinking")


# Not graded: explain, in your own words, what goes wrong when the learning rate is too large.
EXPLAIN = """
"""
