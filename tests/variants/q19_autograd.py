from . import Variant

MUTANTS = [
    Variant("reads .grad without calling backward", old="    f(x).backward()\n", new="    f(x)\n"),
    Variant("climbs: returns the negated gradient", old="    return x.grad", new="    return -x.grad"),
    Variant("turns on tracking for the caller's x", old="    x = x.detach().clone().requires_grad_()\n",
            new="    x.requires_grad_()\n"),
    Variant("estimates the gradient by finite differences", old="    x = x.detach().clone().requires_grad_()\n    f(x).backward()\n    return x.grad",
            new="    grad = torch.zeros_like(x).reshape(-1)\n    for i in range(x.numel()):\n"
                "        up, down = x.clone().reshape(-1), x.clone().reshape(-1)\n        up[i] += 1e-4\n        down[i] -= 1e-4\n"
                "        grad[i] = (f(up.reshape(x.shape)) - f(down.reshape(x.shape))) / 2e-4\n    return grad.reshape(x.shape)"),
    Variant("thinks autograd uses finite differences", old='HOW = "d"', new='HOW = "b"'),
]

ALTERNATIVES = [
    Variant("torch.autograd.grad", old="    f(x).backward()\n    return x.grad",
            new="    (grad,) = torch.autograd.grad(f(x), x)\n    return grad"),
    Variant("requires_grad=True on a fresh tensor", old="    x = x.detach().clone().requires_grad_()\n",
            new="    x = torch.tensor(x.tolist(), dtype=x.dtype, requires_grad=True)\n"),
]
