from . import Variant

ROUND = (  # the model answer's round of the recipe
    "        loss_value = loss(predict(weights, x), y)\n"
    "        gradient(loss_value)\n"
    "        step(weights, lr)\n"
)

MUTANTS = [
    Variant("steps the weights before computing the gradient", old=ROUND, new=(
        "        loss_value = loss(predict(weights, x), y)\n        step(weights, lr)\n        gradient(loss_value)\n")),
    Variant("initialises the weights inside the loop", old="    weights = init(x.shape[1])\n    epochs_done = 0\n"
            "    while True:\n", new="    epochs_done = 0\n    while True:\n        weights = init(x.shape[1])\n"),
    Variant("asks stop but goes on anyway until max_epochs", old=(
        "        if stop(epochs_done, loss_value, max_epochs):\n            return weights"), new=(
        "        stop(epochs_done, loss_value, max_epochs)\n        if epochs_done >= max_epochs:\n"
        "            return weights")),
    Variant("thinks backward() updates the weights, so never steps", old="        step(weights, lr)\n", new=""),
    Variant("the step climbs the gradient", old="        weights -= lr * weights.grad", new="        weights += lr * weights.grad"),
    Variant("stop ignores the loss", old="    return epochs_done >= max_epochs or float(loss_value) < GOOD_ENOUGH",
            new="    return epochs_done >= max_epochs"),
    Variant("predicts before initialising, with its own weights", old="    weights = init(x.shape[1])\n    epochs_done",
            new="    weights = torch.zeros(x.shape[1], 1, requires_grad=True)\n    epochs_done"),
    Variant("starts every weight at zero", old="(torch.randn(n_inputs, 1) * 0.01)", new="torch.zeros(n_inputs, 1)"),
    Variant("draws the weights uniformly from 0 to 0.01 (torch.rand)", old="torch.randn(n_inputs, 1) * 0.01",
            new="torch.rand(n_inputs, 1) * 0.01"),
    Variant("forgets to scale the weights by 0.01", old="(torch.randn(n_inputs, 1) * 0.01).requires_grad_()",
            new="torch.randn(n_inputs, 1).requires_grad_()"),
    Variant("asks for the gradient before scaling, so the weights are not a leaf and get no .grad",
            old="(torch.randn(n_inputs, 1) * 0.01).requires_grad_()", new="torch.randn(n_inputs, 1).requires_grad_() * 0.01"),
    Variant("weights that don't track their gradient", old="(torch.randn(n_inputs, 1) * 0.01).requires_grad_()",
            new="torch.randn(n_inputs, 1) * 0.01"),
    Variant("predicts with the product the wrong way round", old="    return x @ weights", new="    return weights.T @ x.T"),
    Variant("a squared-error loss on the sigmoid instead of mnist_loss", old="    return mnist_loss(predictions, y)",
            new="    return ((predictions.sigmoid() - y) ** 2).mean()"),
    Variant("a step that keeps the gradient, so the next one adds to it", old="    weights.grad = None\n", new=""),
    Variant("a step that makes new weights instead of changing the ones it is given", old=(
        "    with torch.no_grad():\n        weights -= lr * weights.grad\n    weights.grad = None\n"), new=(
        "    weights = (weights - lr * weights.grad).detach().requires_grad_()\n")),
    Variant("counts the epochs from 1 before the first round, so stop hears one round more than were done",
            old="    epochs_done = 0\n", new="    epochs_done = 1\n"),
    Variant("asks stop before counting the round just done", old=(
        "        epochs_done += 1\n        if stop(epochs_done, loss_value, max_epochs):\n            return weights"),
        new=("        if stop(epochs_done, loss_value, max_epochs):\n            return weights\n        epochs_done += 1")),
    Variant("changes the given first_gradient to read the gradient of a copy", old=(
        "    weights = init(x.shape[1])\n    gradient(loss(predict(weights, x), y))\n"), new=(
        "    weights = init(x.shape[1]).detach().requires_grad_()\n    gradient(loss(predict(weights, x), y))\n")),
    Variant("stop counts one epoch too many", old="return epochs_done >= max_epochs or",
            new="return epochs_done > max_epochs or"),
]

ALTERNATIVES = [
    Variant("a for loop over the epochs, stop at the end of each", old=(
        "    epochs_done = 0\n    while True:\n" + ROUND + "        epochs_done += 1\n"
        "        if stop(epochs_done, loss_value, max_epochs):\n            return weights"), new=(
        "    for epoch in range(max_epochs):\n" + ROUND.replace("        ", "        ") +
        "        if stop(epoch + 1, loss_value.item(), max_epochs):\n            break\n    return weights")),
    Variant("a while-not-stop loop that asks before each round", old=(
        "    epochs_done = 0\n    while True:\n" + ROUND + "        epochs_done += 1\n"
        "        if stop(epochs_done, loss_value, max_epochs):\n            return weights"), new=(
        "    epochs_done, loss_value = 0, float('inf')\n    while not stop(epochs_done, loss_value, max_epochs):\n"
        + ROUND + "        epochs_done += 1\n    return weights")),
    Variant("calls the steps with keyword arguments", old=ROUND, new=(
        "        loss_value = loss(predictions=predict(weights=weights, x=x), y=y)\n"
        "        gradient(loss_value=loss_value)\n        step(weights=weights, lr=lr)\n")),
    Variant("steps with .data and zero_", old=(
        "    with torch.no_grad():\n        weights -= lr * weights.grad\n    weights.grad = None"), new=(
        "    weights.data -= lr * weights.grad.data\n    weights.grad.zero_()")),
    Variant("init with torch.normal(..., requires_grad=True)", old=(
        "    return (torch.randn(n_inputs, 1) * 0.01).requires_grad_()"), new=(
        "    return torch.normal(0.0, 0.01, size=(n_inputs, 1), requires_grad=True)")),
]
