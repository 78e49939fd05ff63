from . import Variant

MUTANTS = [
    Variant("rebinds the name to a new tensor instead of updating in place",
            old="    with torch.no_grad():\n        params -= lr * params.grad",
            new="    params = params - lr * params.grad"),
    Variant("steps uphill, along the gradient", old="params -= lr * params.grad", new="params += lr * params.grad"),
    Variant("forgets torch.no_grad(): PyTorch refuses the in-place change",
            old="    with torch.no_grad():\n        params -= lr * params.grad",
            new="    params -= lr * params.grad"),
    Variant("adds the gradient in the numeric answer", old="NEW_WEIGHT = 5.0", new="NEW_WEIGHT = 1.0"),
    Variant("thinks backward updates the weights", old='UPDATER = "b"', new='UPDATER = "a"'),
]

ALTERNATIVES = [
    Variant("updates .data, as older PyTorch code does",
            old="    with torch.no_grad():\n        params -= lr * params.grad",
            new="    params.data -= lr * params.grad.data"),
    Variant("sub_ with alpha", old="params -= lr * params.grad", new="params.sub_(params.grad, alpha=lr)"),
    Variant("copies the new values into the tensor", old="params -= lr * params.grad",
            new="params.copy_(params - lr * params.grad)"),
    Variant("an integer answer", old="NEW_WEIGHT = 5.0", new="NEW_WEIGHT = 5"),
    Variant("the answer as a worked-out expression", old="NEW_WEIGHT = 5.0", new="NEW_WEIGHT = 3.0 - 0.5 * -4.0"),
    Variant("the answer as a tensor", old="NEW_WEIGHT = 5.0", new="NEW_WEIGHT = torch.tensor(5.0)"),
]
