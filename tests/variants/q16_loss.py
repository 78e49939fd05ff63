from . import Variant

WHERE = "    return torch.where(targets == 1, 1 - predictions, predictions).mean()\n\n\n# Given: do not change. The grader"

MUTANTS = [
    Variant("a score below 1, which still leaves the loss positive", old="NEGATIVE_AT = 3.0", new="NEGATIVE_AT = 0.5"),
    Variant("a negative score, as if a negative score made the loss negative", old="NEGATIVE_AT = 3.0",
            new="NEGATIVE_AT = -2.0"),
    Variant("climbs: moves the score along its gradient", old="            score -= lr * score.grad",
            new="            score += lr * score.grad"),
    Variant("never resets the score's gradient, so the steps grow", old="        score.grad = None\n", new=""),
    Variant("keeps the losses before each step only, not the one after the last",
            old="    losses.append(loss_fn(score, targets).item())\n", new=""),
    Variant("forgets the sigmoid", old="    predictions = predictions.sigmoid()\n    return torch.where(targets == 1, 1 - predictions, predictions).mean()\n\n\n# Given",
            new="    return torch.where(targets == 1, 1 - predictions, predictions).mean()\n\n\n# Given"),
    Variant("swaps the branches of torch.where", old="targets == 1, 1 - predictions, predictions).mean()\n\n\n# Given: do not change. The grader",
            new="targets == 1, predictions, 1 - predictions).mean()\n\n\n# Given: do not change. The grader"),
    Variant("returns a Python float", old=WHERE, new=WHERE.replace(").mean()\n", ").mean().item()\n")),
    Variant("thinks the loss says how well the model predicted", old='LOSS_IS = "c"', new='LOSS_IS = "a"'),
    Variant("returns a Python float, hidden by changing the given loss_gradient", old=(
        "    return torch.where(targets == 1, 1 - predictions, predictions).mean()\n\n\n"
        "# Given: do not change. The grader calls it to read the gradient of your loss.\n"
        "def loss_gradient(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:\n"
        "    predictions = predictions.detach().clone().requires_grad_()\n"
        "    mnist_loss(predictions, targets).backward()\n"), new=(
        "    return torch.where(targets == 1, 1 - predictions, predictions).mean().item()\n\n\n"
        "# Given: do not change. The grader calls it to read the gradient of your loss.\n"
        "def loss_gradient(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:\n"
        "    predictions = predictions.detach().clone().requires_grad_()\n"
        "    (predictions.sigmoid() * (1 - 2 * targets)).mean().backward()\n")),
]

ALTERNATIVES = [
    Variant("arithmetic instead of torch.where", old="torch.where(targets == 1, 1 - predictions, predictions).mean()\n\n\n# Given: do not change. The grader",
            new="(targets * (1 - predictions) + (1 - targets) * predictions).mean()\n\n\n# Given: do not change. The grader"),
    Variant("the sigmoid written out", old="predictions.sigmoid()", new="1 / (1 + torch.exp(-predictions))"),
    Variant("a score given as an int", old="NEGATIVE_AT = 3.0", new="NEGATIVE_AT = 2"),
    Variant("descent with torch.optim.SGD on a parameter, losses kept as tensors", old=(
        "    score, targets = torch.zeros(1, 1, requires_grad=True), torch.full((1, 1), target)\n"
        "    losses = []\n    for _ in range(steps):\n        loss = loss_fn(score, targets)\n        loss.backward()\n"
        "        with torch.no_grad():\n            score -= lr * score.grad\n        score.grad = None\n"
        "        losses.append(loss.item())\n    losses.append(loss_fn(score, targets).item())\n    return losses"), new=(
        "    score = torch.nn.Parameter(torch.zeros(1, 1))\n    targets = torch.tensor([[float(target)]])\n"
        "    losses = [loss_fn(score, targets).detach()]\n    for _ in range(steps):\n"
        "        loss = loss_fn(score, targets)\n        grad, = torch.autograd.grad(loss, score)\n"
        "        score.data -= lr * grad\n        losses.append(loss_fn(score, targets).detach())\n    return losses")),
]
