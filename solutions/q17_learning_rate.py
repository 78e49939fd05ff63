"""Question 17: Learning rates that are too high (fastbook ch. 4, question 17). Model answer."""


def gd_path(a: float, x0: float, lr: float, steps: int) -> list[float]:
    xs = [x0]
    for _ in range(steps):
        x = xs[-1]
        xs.append(x - lr * 2 * a * x)
    return xs


def largest_stable_lr(a: float) -> float:
    # Each step multiplies x by (1 - 2*a*lr); |x| shrinks while |1 - 2*a*lr| < 1, i.e. lr < 1/a.
    return 1 / a


EXPLAIN = """
The learning rate scales every step. A small one makes training slow, but a large one
makes each step jump right over the minimum to the other side of the valley; if the
jump lands higher up than where it started, the next one goes further still and the loss
grows step after step until the numbers blow up. Even when it does not diverge, a large
learning rate makes the loss bounce around instead of settling. For f(x) = a*x**2 every
step multiplies x by (1 - 2*a*lr), so learning rates above 1/a diverge.
"""
