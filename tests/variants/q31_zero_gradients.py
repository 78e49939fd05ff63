from . import Variant

MUTANTS = [
    Variant("never zeroes the gradients", old="        params.grad.zero_()\n", new=""),
    Variant("thinks zeroing resets the parameters", old="        params.grad.zero_()\n",
            new="        with torch.no_grad():\n            params.zero_()\n"),
    Variant("rebinds params instead of updating it in place", old="        with torch.no_grad():\n"
            "            params -= lr * params.grad\n        params.grad.zero_()\n",
            new="        params = (params - lr * params.grad).detach().requires_grad_()\n"),
]

ALTERNATIVES = [
    Variant("sets the gradient to None", old="params.grad.zero_()", new="params.grad = None"),
    Variant("zeroes before backward, at the top of each step", old=(
        "        loss = mse(quadratic(t, params), speed)\n        loss.backward()\n"
        "        with torch.no_grad():\n            params -= lr * params.grad\n        params.grad.zero_()\n"
    ), new=(
        "        if params.grad is not None:\n            params.grad.zero_()\n"
        "        loss = mse(quadratic(t, params), speed)\n        loss.backward()\n"
        "        with torch.no_grad():\n            params -= lr * params.grad\n"
    )),
    Variant("uses torch.optim.SGD", old=(
        "    losses = []\n    for _ in range(steps):\n        loss = mse(quadratic(t, params), speed)\n"
        "        loss.backward()\n        with torch.no_grad():\n            params -= lr * params.grad\n"
        "        params.grad.zero_()\n        losses.append(loss.item())\n"
    ), new=(
        "    opt = torch.optim.SGD([params], lr=lr)\n    losses = []\n    for _ in range(steps):\n"
        "        loss = mse(quadratic(t, params), speed)\n        loss.backward()\n        opt.step()\n"
        "        opt.zero_grad()\n        losses.append(loss.detach())\n"
    )),
    Variant("updates through .data", old="        with torch.no_grad():\n            params -= lr * params.grad\n",
            new="        params.data -= lr * params.grad.data\n"),
]
