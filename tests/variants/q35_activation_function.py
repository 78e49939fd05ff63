from . import Variant

MUTANTS = [
    Variant("forgets that b1 also goes through the second layer", old="return w1 @ w2, b1 @ w2 + b2",
            new="return w1 @ w2, b2"),
    Variant("adds the biases", old="return w1 @ w2, b1 @ w2 + b2", new="return w1 @ w2, b1 + b2"),
    Variant("no ReLU between the layers", old="hidden = (x @ w1 + b1).clamp(min=0)", new="hidden = x @ w1 + b1"),
    Variant("ReLU after the second layer instead", old=(
        "    hidden = (x @ w1 + b1).clamp(min=0)\n    return hidden @ w2 + b2\n"
    ), new="    return ((x @ w1 + b1) @ w2 + b2).clamp(min=0)\n"),
    Variant("thinks the function between the layers must squash like the sigmoid", old='ACTIVATION = "a"',
            new='ACTIVATION = "d"'),
    Variant("thinks the extra layer adds power whatever the function between", old='ACTIVATION = "a"',
            new='ACTIVATION = "b"'),
    Variant("doubles the hidden values instead of a ReLU: still one linear layer",
            old="hidden = (x @ w1 + b1).clamp(min=0)", new="hidden = 2 * (x @ w1 + b1)"),
]

ALTERNATIVES = [
    Variant("numpy, with the bias as a row", old="    return w1 @ w2, b1 @ w2 + b2\n", new=(
        "    import numpy as np\n    w1, b1, w2, b2 = (np.asarray(t) for t in (w1, b1, w2, b2))\n"
        "    return w1 @ w2, (b1 @ w2 + b2)[None, :]\n"
    )),
    Variant("pushes an input of zeros through for the bias", old="return w1 @ w2, b1 @ w2 + b2",
            new="return w1 @ w2, (torch.zeros(1, w1.shape[0], dtype=w1.dtype) @ w1 + b1) @ w2 + b2"),
    Variant("torch.relu and matmul", old="hidden = (x @ w1 + b1).clamp(min=0)",
            new="hidden = torch.relu(torch.matmul(x, w1) + b1)"),
    Variant("numpy maximum", old="    hidden = (x @ w1 + b1).clamp(min=0)\n    return hidden @ w2 + b2\n", new=(
        "    import numpy as np\n    x, w1, b1, w2, b2 = (np.asarray(t) for t in (x, w1, b1, w2, b2))\n"
        "    return np.maximum(x @ w1 + b1, 0) @ w2 + b2\n"
    )),
]
