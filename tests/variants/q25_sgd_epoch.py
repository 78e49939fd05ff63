from . import Variant

BATCH_STEP = (  # the model answer's work on one batch
    "        loss = mnist_loss(model(xb), yb)\n"
    "        loss.backward()\n"
    "        with torch.no_grad():\n"
    "            for p in params:\n"
    "                p -= lr * p.grad\n"
    "                p.grad.zero_()"
)

MUTANTS = [
    Variant("climbs the loss: adds lr * grad", old="                p -= lr * p.grad",
            new="                p += lr * p.grad"),
    Variant("steps with the previous batch's gradient, before backward", old=BATCH_STEP, new=(
        "        with torch.no_grad():\n"
        "            for p in params:\n"
        "                if p.grad is not None:\n"
        "                    p -= lr * p.grad\n"
        "                    p.grad.zero_()\n"
        "        loss = mnist_loss(model(xb), yb)\n"
        "        loss.backward()"
    )),
    Variant("never resets the gradients, so they pile up", old="                p.grad.zero_()\n", new=""),
    Variant("uses accuracy as the loss: no gradient to follow", old="loss = mnist_loss(model(xb), yb)",
            new="loss = ((model(xb) > 0).float() == yb).float().mean()"),
    Variant("updates rebound copies that the model never sees", old="                p -= lr * p.grad\n",
            new="                p = p - lr * p.grad\n"),
]

ALTERNATIVES = [
    Variant("torch.optim.SGD as the optimiser", old="    for xb, yb in batches:\n" + BATCH_STEP, new=(
        "    opt = torch.optim.SGD(params, lr=lr)\n"
        "    for xb, yb in batches:\n"
        "        opt.zero_grad()\n"
        "        mnist_loss(model(xb), yb).backward()\n"
        "        opt.step()"
    )),
    Variant("updates .data and sets the gradients to None", old=(
        "        with torch.no_grad():\n"
        "            for p in params:\n"
        "                p -= lr * p.grad\n"
        "                p.grad.zero_()"
    ), new=(
        "        for p in params:\n"
        "            p.data -= lr * p.grad.data\n"
        "            p.grad = None"
    )),
    Variant("zeroes the gradients just before backward, the usual PyTorch habit", old=BATCH_STEP, new=(
        "        for p in params:\n            if p.grad is not None:\n                p.grad.zero_()\n"
        "        loss = mnist_loss(model(xb), yb)\n        loss.backward()\n        with torch.no_grad():\n"
        "            for p in params:\n                p -= lr * p.grad")),
]
