from . import Variant

MUTANTS = [
    Variant("forgets the sigmoid", old="    predictions = predictions.sigmoid()\n", new=""),
    Variant("swaps the branches of torch.where", old="targets == 1, 1 - predictions, predictions",
            new="targets == 1, predictions, 1 - predictions"),
    Variant("returns a Python float", old=").mean()\n", new=").mean().item()\n"),
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
    Variant("arithmetic instead of torch.where", old="torch.where(targets == 1, 1 - predictions, predictions).mean()",
            new="(targets * (1 - predictions) + (1 - targets) * predictions).mean()"),
    Variant("the sigmoid written out", old="predictions.sigmoid()", new="1 / (1 + torch.exp(-predictions))"),
    Variant("torch.sigmoid", old="predictions.sigmoid()", new="torch.sigmoid(predictions)"),
]
