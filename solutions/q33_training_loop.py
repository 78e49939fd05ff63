"""Question 33: The steps of a training loop (fastbook ch. 4, question 33). Model answer."""
import torch

from fastquiz.reference import mnist_loss


def train_model(model, dls, epochs: int, lr: float):
    params = list(model.parameters())
    for _ in range(epochs):
        for xb, yb in dls.train:
            loss = mnist_loss(model(xb), yb)
            loss.backward()
            with torch.no_grad():
                for p in params:
                    p -= lr * p.grad
                    p.grad.zero_()
    return model


EXPLAIN = """
for each epoch:
    for each mini-batch (xb, yb) of the training set:
        preds = model(xb)                  # predict
        loss = loss_func(preds, yb)        # measure how wrong the predictions are
        loss.backward()                    # gradient of the loss for every parameter
        for p in parameters: p -= lr * p.grad   (without tracking gradients)   # step
        for p in parameters: p.grad = 0    # so the next step starts fresh
    measure the metric on the validation set, to see how well the model generalises
"""
