"""Question 14: the seven steps of SGD (fastbook ch. 4, question 14).

Training a model with SGD follows the same recipe every time: seven steps, some of them
repeated in a cycle. Here is a name for each step, in no particular order:

    "gradient"  compute how the loss changes when each weight changes
    "stop"      decide that training is over (good enough, or out of time)
    "init"      give the weights their starting values
    "step"      change the weights a little, in the direction that lowers the loss
    "repeat"    go back and do the cycle again
    "loss"      measure how good or bad the predictions are
    "predict"   use the model to produce outputs for some inputs

1. `SGD_STEPS`: the seven names above, as a list, in the order the recipe goes through
   them.

2. `STEP_OF`: each line of code below performs one of the steps. Replace each `None` by
   the name of its step.
"""

SGD_STEPS = None  # a list of the seven names, e.g. ["...", "...", ...]

STEP_OF = {
    "loss.backward()": None,
    "for epoch in range(20):": None,
    "preds = xb @ weights + bias": None,
    "if valid_accuracy > 0.98: break": None,
    "weights.data -= lr * weights.grad": None,
    "weights = (torch.randn(28 * 28, 1) * 0.01).requires_grad_()": None,
    "loss = mnist_loss(preds, yb)": None,
}


# Not graded: explain, in your own words, each step of the recipe SGD follows to train a model.
EXPLAIN = """
"""
