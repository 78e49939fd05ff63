from . import Variant

MUTANTS = [
    Variant("forgets the bias", old="return xb @ weights + bias", new="return xb @ weights"),
    Variant("multiplies by the bias instead of adding it", old="return xb @ weights + bias",
            new="return (xb @ weights) * bias"),
    Variant("adds one bias to all outputs, the first", old="return xb @ weights + bias",
            new="return xb @ weights + bias[0]"),
    Variant("thinks the bias is a second weight per pixel", old='WHY_BIAS = "a"', new='WHY_BIAS = "d"'),
]

ALTERNATIVES = [
    Variant("broadcast products summed over the pixels", old="return xb @ weights + bias",
            new="return (xb[:, :, None] * weights[None]).sum(1) + bias"),
    Variant("numpy's matmul", old="return xb @ weights + bias",
            new="import numpy as np\n    return np.matmul(xb.numpy(), weights.numpy()) + bias.numpy()"),
    Variant("torch.addmm", old="return xb @ weights + bias", new="return torch.addmm(bias, xb, weights)"),
    Variant("torch.nn.functional.linear with the weights transposed", old="return xb @ weights + bias",
            new="return torch.nn.functional.linear(xb, weights.T, bias)"),
]
