from . import Variant

MUTANTS = [
    Variant("never steps the parameters", old="                    p -= lr * p.grad\n", new=""),
    Variant("never zeroes the gradients", old="                    p.grad.zero_()\n", new=""),
    Variant("trains on the validation set", old="for xb, yb in dls.train:", new="for xb, yb in dls.valid:"),
    Variant("climbs the gradient instead of descending it", old="                    p -= lr * p.grad\n",
            new="                    p += lr * p.grad\n"),
    Variant("steps before computing the gradients", old=(
        "            loss = mnist_loss(model(xb), yb)\n            loss.backward()\n            with torch.no_grad():\n"
        "                for p in params:\n                    p -= lr * p.grad\n                    p.grad.zero_()\n"), new=(
        "            with torch.no_grad():\n                for p in params:\n                    if p.grad is not None:\n"
        "                        p -= lr * p.grad\n                        p.grad.zero_()\n"
        "            loss = mnist_loss(model(xb), yb)\n            loss.backward()\n")),
]

MUTANTS += [
    Variant("a learning rate of its own, whatever lr it is given", old="                    p -= lr * p.grad\n",
            new="                    p -= 1.0 * p.grad\n"),
    Variant("counts the epochs from 1, so it trains one epoch fewer", old="    for _ in range(epochs):",
            new="    for _ in range(1, epochs):"),
    Variant("puts the outputs through a sigmoid before mnist_loss, which applies one itself",
            old="loss = mnist_loss(model(xb), yb)", new="loss = mnist_loss(model(xb).sigmoid(), yb)"),
]

ALTERNATIVES = [
    Variant("uses torch.optim.SGD", old=(
        "    params = list(model.parameters())\n    for _ in range(epochs):\n        for xb, yb in dls.train:\n"
        "            loss = mnist_loss(model(xb), yb)\n            loss.backward()\n            with torch.no_grad():\n"
        "                for p in params:\n                    p -= lr * p.grad\n                    p.grad.zero_()\n"
    ), new=(
        "    opt = torch.optim.SGD(model.parameters(), lr=lr)\n    for _ in range(epochs):\n"
        "        for xb, yb in dls.train:\n            opt.zero_grad()\n            loss = mnist_loss(model(xb), yb)\n"
        "            loss.backward()\n            opt.step()\n"
    )),
    Variant("measures validation accuracy after each epoch", old="    return model\n", new=(
        "        with torch.no_grad():\n"
        "            accs = [((model(xb) > 0).float() == yb).float().mean() for xb, yb in dls.valid]\n"
        "        print(f'accuracy {torch.stack(accs).mean():.3f}')\n    return model\n"
    )),
    Variant("resets the gradients to None via .data", old=(
        "            with torch.no_grad():\n                for p in params:\n                    p -= lr * p.grad\n"
        "                    p.grad.zero_()\n"
    ), new=(
        "            for p in params:\n                p.data -= lr * p.grad.data\n                p.grad = None\n"
    )),
    Variant("zeroes the gradients just before backward, the usual PyTorch habit", old=(
        "            loss = mnist_loss(model(xb), yb)\n            loss.backward()\n            with torch.no_grad():\n"
        "                for p in params:\n                    p -= lr * p.grad\n                    p.grad.zero_()\n"), new=(
        "            loss = mnist_loss(model(xb), yb)\n            model.zero_grad()\n            loss.backward()\n"
        "            with torch.no_grad():\n                for p in params:\n                    p -= lr * p.grad\n")),
]
