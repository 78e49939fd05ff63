from . import Variant

MUTANTS = [
    Variant("thresholds the raw outputs at 0.5, before the sigmoid", old="(preds.sigmoid() > 0.5)",
            new="(preds > 0.5)"),
    Variant("counts the correct predictions instead of their share", old="correct.float().mean()",
            new="correct.float().sum()"),
    Variant("thinks a metric moves like the loss: reports the loss change twice",
            old="    return loss_after - loss_before, accuracy_after - accuracy_before",
            new="    return loss_after - loss_before, loss_after - loss_before"),
    Variant("nudges a copy of the weights, so the model never changes", old=(
        "    with torch.no_grad():\n        model.weight[0, index] += delta\n"), new=(
        "    weights = model.weight.detach().clone()\n    weights[0, index] += delta\n")),
    Variant("returns before minus after", old="    return loss_after - loss_before, accuracy_after - accuracy_before",
            new="    return loss_before - loss_after, accuracy_before - accuracy_after"),
]

ALTERNATIVES = [
    Variant("compares the raw outputs with 0", old="(preds.sigmoid() > 0.5) == targets.bool()",
            new="(preds > 0).float() == targets"),
    Variant("numpy, returning a float",
            old="    correct = (preds.sigmoid() > 0.5) == targets.bool()\n    return correct.float().mean()",
            new="    import numpy as np\n    p, t = np.asarray(preds), np.asarray(targets)\n"
                "    return float(np.mean((1 / (1 + np.exp(-p)) > 0.5) == (t == 1)))"),
    Variant("nudges through .data and returns tensors", old=(
        "    with torch.no_grad():\n        model.weight[0, index] += delta\n    loss_after, accuracy_after = "
        "scores(model, x, y)\n    return loss_after - loss_before, accuracy_after - accuracy_before"), new=(
        "    model.weight.data[0, index] = model.weight.data[0, index] + delta\n    preds = model(x)\n"
        "    return (mnist_loss(preds, y) - loss_before).detach(), batch_accuracy(preds, y) - accuracy_before")),
]
