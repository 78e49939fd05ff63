from . import Variant

MUTANTS = [
    Variant("a hand formula for a sum of squares, plus an unused backward", old=(
        "    loss_fn(*copies).backward()\n    return [c.grad for c in copies]"), new=(
        "    loss_fn(*copies).backward()\n    return [2 * p for p in params]")),
    Variant("marks the caller's own tensors as requiring gradients", old=(
        "    copies = [p.detach().clone().requires_grad_() for p in params]"), new=(
        "    copies = [p.requires_grad_() for p in params]")),
    Variant("returns the tensors instead of their gradients", old="    return [c.grad for c in copies]",
            new="    return copies"),
    Variant("a backward per parameter on the same copies, so gradients pile up", old=(
        "    loss_fn(*copies).backward()\n    return [c.grad for c in copies]"), new=(
        "    grads = []\n    for c in copies:\n        loss_fn(*copies).backward()\n        grads.append(c.grad.clone())\n"
        "    return grads")),
    Variant("works on w itself instead of a copy", old="    w = w.detach().clone().requires_grad_()\n",
            new="    w.requires_grad_()\n"),
    Variant("thinks the second backward replaces the gradient", old=(
        "    for _ in range(times):\n        (w * w).sum().backward()\n"), new=(
        "    for _ in range(times):\n        w.grad = None\n        (w * w).sum().backward()\n")),
    Variant("thinks backward also steps the weights", old='BACKWARD = "c"', new='BACKWARD = "b"'),
]

ALTERNATIVES = [
    Variant("torch.autograd.grad", old=(
        "    loss_fn(*copies).backward()\n    return [c.grad for c in copies]"), new=(
        "    return list(torch.autograd.grad(loss_fn(*copies), copies))")),
    Variant("fresh tensors built with requires_grad=True, returned as a tuple", old=(
        "    copies = [p.detach().clone().requires_grad_() for p in params]\n    loss_fn(*copies).backward()\n"
        "    return [c.grad for c in copies]"), new=(
        "    weight = torch.tensor(params[0].tolist(), requires_grad=True)\n"
        "    bias = torch.tensor(params[1].tolist(), requires_grad=True)\n    loss = loss_fn(weight, bias)\n"
        "    loss.backward()\n    return weight.grad, bias.grad")),
    Variant("multiplies w by itself with pow", old="(w * w).sum().backward()", new="w.pow(2).sum().backward()"),
]
