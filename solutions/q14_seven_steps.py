"""Question 14: the seven steps of SGD (fastbook ch. 4, question 14). Model answer."""

SGD_STEPS = ["init", "predict", "loss", "gradient", "step", "repeat", "stop"]

STEP_OF = {
    "loss.backward()": "gradient",
    "for epoch in range(20):": "repeat",
    "preds = xb @ weights + bias": "predict",
    "if valid_accuracy > 0.98: break": "stop",
    "weights.data -= lr * weights.grad": "step",
    "weights = (torch.randn(28 * 28, 1) * 0.01).requires_grad_()": "init",
    "loss = mnist_loss(preds, yb)": "loss",
}


EXPLAIN = """
1. Initialise: give every weight a starting value, usually a small random number.
2. Predict: run the model on a mini-batch of inputs.
3. Loss: compare those outputs with the targets; the loss is small when they agree.
4. Gradient: work out, for every weight, how the loss would change if that weight
   changed a little (PyTorch does this with backward()).
5. Step: nudge every weight against its gradient, by the learning rate times it.
6. Repeat: go back to step 2 with the next mini-batch, epoch after epoch.
7. Stop: end when the model is good enough, when it stops improving on the validation
   set, or when the time budget runs out.
"""
