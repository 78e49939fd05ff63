from . import Variant

MUTANTS = [
    Variant("reads .grad without calling backward", old="    f(x).backward()\n", new="    f(x)\n"),
    Variant("climbs: returns the negated gradient", old="    return x.grad", new="    return -x.grad"),
    Variant("turns on tracking for the caller's x", old="    x = x.detach().clone().requires_grad_()\n",
            new="    x.requires_grad_()\n"),
    Variant("thinks autograd uses finite differences", old='HOW = "d"', new='HOW = "b"'),
]

ALTERNATIVES = [
    Variant("torch.autograd.grad", old="    f(x).backward()\n    return x.grad",
            new="    (grad,) = torch.autograd.grad(f(x), x)\n    return grad"),
    Variant("requires_grad=True on a fresh tensor", old="    x = x.detach().clone().requires_grad_()\n",
            new="    x = torch.tensor(x.tolist(), dtype=x.dtype, requires_grad=True)\n"),
]
