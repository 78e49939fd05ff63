from . import Variant

MUTANTS = [
    Variant("rebinds the name to a new tensor instead of updating in place",
            old="    with torch.no_grad():\n        params -= lr * params.grad",
            new="    params = params - lr * params.grad"),
    Variant("steps uphill, along the gradient", old="params -= lr * params.grad", new="params += lr * params.grad"),
    Variant("forgets torch.no_grad(): PyTorch refuses the in-place change",
            old="    with torch.no_grad():\n        params -= lr * params.grad",
            new="    params -= lr * params.grad"),
    Variant("switches off the gradient tracking to silence PyTorch, then steps",
            old="    with torch.no_grad():\n        params -= lr * params.grad",
            new="    params.requires_grad_(False)\n    params -= lr * params.grad"),
    Variant("resets the gradient in step, which the loop does after it", old="        params -= lr * params.grad",
            new="        params -= lr * params.grad\n    params.grad.zero_()"),
    Variant("changes the given step_and_look to say yes whatever step did",
            old="    return params.requires_grad, params.is_leaf", new="    return True, True"),
    Variant("steps a detached copy, which the model never sees", old="        params -= lr * params.grad",
            new="        params.detach().clone().sub_(lr * params.grad)"),
]

ALTERNATIVES = [
    Variant("updates .data, as older PyTorch code does",
            old="    with torch.no_grad():\n        params -= lr * params.grad",
            new="    params.data -= lr * params.grad.data"),
    Variant("sub_ with alpha", old="params -= lr * params.grad", new="params.sub_(params.grad, alpha=lr)"),
    Variant("copies the new values into the tensor", old="params -= lr * params.grad",
            new="params.copy_(params - lr * params.grad)"),
    Variant("a loop over the elements of a flattened view", old="        params -= lr * params.grad", new=(
        "        flat, grads = params.view(-1), params.grad.view(-1)\n        for i in range(len(flat)):\n"
        "            flat[i] -= lr * grads[i]")),
]
