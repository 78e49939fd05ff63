from . import Variant

STEP = (  # the model answer's SGD step
    "        with torch.no_grad():\n"
    "            for p in model.parameters():\n"
    "                p -= lr * p.grad\n"
    "                p.grad = None\n"
)

MUTANTS = [
    Variant("reads the accuracy's gradient without clearing the loss's first",
            old="    model.zero_grad()\n    loss_func(model(x), y).backward()\n    gradient = model.weight.grad.clone()\n"
                "    model.zero_grad()\n",
            new="    loss_func(model(x), y).backward()\n    gradient = model.weight.grad.clone()\n"),
    Variant("a thresholded accuracy, which autograd can't run through", old=(
        "    return weight_gradient(model, x, y, mnist_loss), weight_gradient(model, x, y, accuracy_as_loss)"), new=(
        "    hard = lambda p, t: 1 - ((p > 0).float() == t).float().mean()\n"
        "    return weight_gradient(model, x, y, mnist_loss), weight_gradient(model, x, y, hard)")),
    Variant("a smooth accuracy, hidden by changing the given accuracy_as_loss",
            old="    return (torch.sigmoid(predictions).round() - targets).abs().mean()",
            new="    return (torch.sigmoid(predictions) - targets).abs().mean()"),
    Variant("never resets the gradients, so they pile up", old="                p.grad = None\n", new=""),
    Variant("climbs the loss", old="                p -= lr * p.grad\n", new="                p += lr * p.grad\n"),
    Variant("updates only the weight, not the bias", old="            for p in model.parameters():\n",
            new="            for p in [model.weight]:\n"),
    Variant("records the loss after its step", old=STEP + "        losses.append(loss.item())\n",
            new=STEP + "        losses.append(loss_func(model(x), y).item())\n"),
]

ALTERNATIVES = [
    Variant("both gradients with torch.autograd.grad", old=(
        "    model.zero_grad()\n    loss_func(model(x), y).backward()\n    gradient = model.weight.grad.clone()\n"
        "    model.zero_grad()\n    return gradient\n"), new=(
        "    (gradient,) = torch.autograd.grad(loss_func(model(x), y), model.weight)\n    return gradient\n")),
    Variant("torch.optim.SGD, losses kept as tensors", old=(
        "    losses = []\n    for _ in range(steps):\n        loss = loss_func(model(x), y)\n        loss.backward()\n"
        + STEP + "        losses.append(loss.item())\n"), new=(
        "    opt = torch.optim.SGD(model.parameters(), lr=lr)\n    losses = []\n    for _ in range(steps):\n"
        "        opt.zero_grad()\n        loss = loss_func(model(x), y)\n        loss.backward()\n        opt.step()\n"
        "        losses.append(loss.detach())\n")),
]
