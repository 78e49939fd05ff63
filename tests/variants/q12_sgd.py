from . import Variant

MUTANTS = [
    Variant("climbs the gradient: plus instead of minus", old="params - lr * grads", new="params + lr * grads"),
    Variant("forgets the learning rate", old="params - lr * grads", new="params - grads"),
    Variant("divides the gradient by the learning rate", old="params - lr * grads", new="params - grads / lr"),
    Variant("thinks the randomness is noise added to the weights", old='STOCHASTIC = "c"', new='STOCHASTIC = "d"'),
    Variant("thinks stochastic means the whole training set", old='STOCHASTIC = "c"', new='STOCHASTIC = "b"'),
]

ALTERNATIVES = [
    Variant("a loop over the flattened values", old="    return params - lr * grads", new=(
        "    out = params.clone().reshape(-1)\n    for i, g in enumerate(grads.reshape(-1).tolist()):\n"
        "        out[i] -= lr * g\n    return out.reshape(params.shape)")),
    Variant("torch.sub with alpha", old="params - lr * grads", new="torch.sub(params, grads, alpha=lr)"),
    Variant("updates in place without tracking", old="    return params - lr * grads", new=(
        "    with torch.no_grad():\n        params -= lr * grads\n    return params")),
    Variant("numpy", old="    return params - lr * grads", new=(
        "    import numpy as np\n    return np.asarray(params) - lr * np.asarray(grads)")),
]
