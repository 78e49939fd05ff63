from . import Variant

MUTANTS = [
    Variant("returns the tensor instead of its gradient", old="    return x.grad", new="    return x"),
    Variant("marks the caller's own tensor as requiring gradients",
            old="    x = x.detach().clone().requires_grad_()", new="    x.requires_grad_()"),
    Variant("works the gradient out by hand", old=(
        "    x = x.detach().clone().requires_grad_()\n    (x ** 2).sum().backward()\n    return x.grad"
    ), new="    return 2 * x"),
    Variant("thinks the second backward replaces the gradient", old="GRAD_AFTER_TWO_BACKWARDS = 12.0",
            new="GRAD_AFTER_TWO_BACKWARDS = 6.0"),
    Variant("thinks backward also steps the weights", old='BACKWARD = "c"', new='BACKWARD = "b"'),
]

ALTERNATIVES = [
    Variant("torch.autograd.grad", old=(
        "    x = x.detach().clone().requires_grad_()\n    (x ** 2).sum().backward()\n    return x.grad"
    ), new=(
        "    x = x.detach().clone().requires_grad_()\n    return torch.autograd.grad((x ** 2).sum(), x)[0]"
    )),
    Variant("a fresh tensor built with requires_grad=True", old="    x = x.detach().clone().requires_grad_()",
            new="    x = torch.tensor(x.tolist(), requires_grad=True)"),
    Variant("multiplies x by itself", old="(x ** 2).sum().backward()", new="(x * x).sum().backward()"),
    Variant("an integer answer", old="GRAD_AFTER_TWO_BACKWARDS = 12.0", new="GRAD_AFTER_TWO_BACKWARDS = 12"),
]
