from . import Variant

MEASURE = ("    copy = params.detach().clone().requires_grad_()\n    fit_quadratic(t, speed, copy, lr, steps, reset=False)\n"
           "    return copy.grad")

MUTANTS = [
    Variant("a reset that does nothing", old="    params.grad.zero_()\n", new="    pass\n"),
    Variant("thinks zeroing resets the parameters", old="    params.grad.zero_()\n",
            new="    with torch.no_grad():\n        params.zero_()\n"),
    Variant("zeroes a copy of the gradient, so .grad keeps it", old="    params.grad.zero_()\n",
            new="    params.grad.clone().zero_()\n"),
    Variant("thinks backward replaces .grad: predicts the last gradient", old="return torch.stack(step_gradients).sum(0)",
            new="return step_gradients[-1]"),
    Variant("predicts the mean of the gradients", old="return torch.stack(step_gradients).sum(0)",
            new="return torch.stack(step_gradients).mean(0)"),
    Variant("measures with the reset on", old="fit_quadratic(t, speed, copy, lr, steps, reset=False)",
            new="fit_quadratic(t, speed, copy, lr, steps)"),
    Variant("measures on the params it was given, not a copy", old=MEASURE, new=(
        "    params.requires_grad_()\n    fit_quadratic(t, speed, params, lr, steps, reset=False)\n"
        "    return params.grad.clone()")),
    Variant("changes the given fit_quadratic to zero the gradient itself", old="            reset_gradient(params)\n",
            new="            params.grad = None\n"),
]

ALTERNATIVES = [
    Variant("sets the gradient to None", old="params.grad.zero_()", new="params.grad = None"),
    Variant("zeroes through .data", old="params.grad.zero_()", new="params.grad.data.zero_()"),
    Variant("a loop that adds the gradients one by one", old="    return torch.stack(step_gradients).sum(0)", new=(
        "    total = torch.zeros_like(step_gradients[0])\n    for gradient in step_gradients:\n"
        "        total = total + gradient\n    return total")),
    Variant("a copy made with torch.tensor(..., requires_grad=True)", old="    copy = params.detach().clone().requires_grad_()",
            new="    copy = torch.tensor(params.tolist(), requires_grad=True)"),
]
