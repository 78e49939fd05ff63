from . import Variant

MUTANTS = [
    Variant("rounds down even when the last batch is kept",
            old="return math.ceil(n_items / batch_size)", new="return n_items // batch_size"),
    Variant("always adds one batch for the remainder",
            old="return math.ceil(n_items / batch_size)", new="return n_items // batch_size + 1"),
    Variant("ignores drop_last", old="    if drop_last:\n        return n_items // batch_size\n", new=""),
    Variant("uses every row for each gradient, whatever the batch size",
            old="    return torch.stack([batch_gradient(x, y, weights, r) for r in rows])",
            new="    return torch.stack([batch_gradient(x, y, weights, torch.arange(len(x))) for r in rows])"),
    Variant("draws the same batch every time (a generator seeded for each batch)", old=(
        "    rows = [torch.randperm(len(x), generator=generator)[:batch_size] for _ in range(n_batches)]"), new=(
        "    rows = [torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))[:batch_size]\n"
        "            for _ in range(n_batches)]")),
    Variant("draws rows with replacement", old=(
        "    rows = [torch.randperm(len(x), generator=generator)[:batch_size] for _ in range(n_batches)]"), new=(
        "    rows = [torch.randint(len(x), (batch_size,), generator=generator) for _ in range(n_batches)]")),
    Variant("keeps one tracked copy of the weights for every batch, so each gradient adds to the ones before", old=(
        "    rows = [torch.randperm(len(x), generator=generator)[:batch_size] for _ in range(n_batches)]\n"
        "    return torch.stack([batch_gradient(x, y, weights, r) for r in rows])"), new=(
        "    w, grads = weights.detach().clone().requires_grad_(), []\n    for _ in range(n_batches):\n"
        "        rows = torch.randperm(len(x), generator=generator)[:batch_size]\n"
        "        mnist_loss(x[rows] @ w, y[rows]).backward()\n        grads.append(w.grad.clone())\n"
        "    return torch.stack(grads)")),
    Variant("tracks the gradient on the weights it was given, leaving a .grad on them", old=(
        "    weights = weights.detach().clone().requires_grad_()\n    mnist_loss(x[rows] @ weights, y[rows]).backward()\n"
        "    return weights.grad"), new=(
        "    weights.requires_grad_()\n    weights.grad = None\n    mnist_loss(x[rows] @ weights, y[rows]).backward()\n"
        "    return weights.grad.clone()")),
    Variant("draws from the global generator, ignoring the seed",
            old="    rows = [torch.randperm(len(x), generator=generator)[:batch_size] for _ in range(n_batches)]",
            new="    rows = [torch.randperm(len(x))[:batch_size] for _ in range(n_batches)]"),
    Variant("sums the loss over the batch instead of averaging it",
            old="    mnist_loss(x[rows] @ weights, y[rows]).backward()",
            new="    (mnist_loss(x[rows] @ weights, y[rows]) * len(rows)).backward()"),
    Variant("takes budget steps whatever the batch size", old="    for _ in range(budget // batch_size):",
            new="    for _ in range(budget):"),
    Variant("always the first rows, never a random batch", old=(
        "        rows = torch.randperm(len(x), generator=generator)[:batch_size]\n        weights -= lr"), new=(
        "        rows = torch.arange(batch_size)\n        weights -= lr")),
]

ALTERNATIVES = [
    Variant("gradients by torch.autograd.grad, with numpy's generator", old=(
        "    generator = torch.Generator().manual_seed(seed)\n"
        "    rows = [torch.randperm(len(x), generator=generator)[:batch_size] for _ in range(n_batches)]\n"
        "    return torch.stack([batch_gradient(x, y, weights, r) for r in rows])"), new=(
        "    import numpy as np\n    rng = np.random.default_rng(seed)\n    grads = []\n"
        "    for _ in range(n_batches):\n        rows = torch.from_numpy(rng.choice(len(x), batch_size, replace=False))\n"
        "        w = weights.clone().requires_grad_()\n"
        "        (grad,) = torch.autograd.grad(mnist_loss(x[rows] @ w, y[rows]), w)\n        grads.append(grad)\n"
        "    return torch.stack(grads)")),
    Variant("training with torch.optim.SGD and shuffled epochs", old=(
        "    generator = torch.Generator().manual_seed(seed)\n    weights = torch.zeros(x.shape[1], 1)\n"
        "    for _ in range(budget // batch_size):\n"
        "        rows = torch.randperm(len(x), generator=generator)[:batch_size]\n"
        "        weights -= lr * batch_gradient(x, y, weights, rows)\n    return weights"), new=(
        "    torch.manual_seed(seed)\n    w = torch.zeros(x.shape[1], 1, requires_grad=True)\n"
        "    opt = torch.optim.SGD([w], lr=lr)\n    steps, order, at = budget // batch_size, torch.randperm(len(x)), 0\n"
        "    for _ in range(steps):\n        if at + batch_size > len(x):\n"
        "            order, at = torch.randperm(len(x)), 0\n        rows = order[at:at + batch_size]\n"
        "        at += batch_size\n        opt.zero_grad()\n        mnist_loss(x[rows] @ w, y[rows]).backward()\n"
        "        opt.step()\n    return w")),
    Variant("ceiling by negative floor division", old="math.ceil(n_items / batch_size)", new="-(-n_items // batch_size)"),
    Variant("divmod", old="    return math.ceil(n_items / batch_size)", new=(
        "    full, rest = divmod(n_items, batch_size)\n    return full + (1 if rest else 0)")),
    Variant("counts the batch starts", old="    if drop_last:\n        return n_items // batch_size\n"
            "    return math.ceil(n_items / batch_size)", new=(
        "    starts = range(0, n_items, batch_size)\n"
        "    return sum(1 for s in starts if not drop_last or s + batch_size <= n_items)")),
]
