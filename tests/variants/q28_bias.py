from . import Variant

MUTANTS = [
    Variant("forgets the bias", old="return xb @ weights + bias", new="return xb @ weights"),
    Variant("multiplies by the bias instead of adding it", old="return xb @ weights + bias",
            new="return (xb @ weights) * bias"),
    Variant("counts one bias per pixel", old="N_PARAMETERS = 28 * 28 + 1", new="N_PARAMETERS = 2 * 28 * 28"),
    Variant("thinks the blank image's prediction ignores the bias", old="BLANK_WITH_BIAS = -1.5",
            new="BLANK_WITH_BIAS = 0.0"),
    Variant("thinks the bias is a second weight per pixel", old='WHY_BIAS = "a"', new='WHY_BIAS = "d"'),
]

ALTERNATIVES = [
    Variant("broadcast products summed over the pixels", old="return xb @ weights + bias",
            new="return (xb[:, :, None] * weights[None]).sum(1) + bias"),
    Variant("numpy's matmul", old="return xb @ weights + bias",
            new="import numpy as np\n    return np.matmul(xb.numpy(), weights.numpy()) + bias.numpy()"),
    Variant("torch.addmm", old="return xb @ weights + bias", new="return torch.addmm(bias, xb, weights)"),
    Variant("the count written out", old="N_PARAMETERS = 28 * 28 + 1", new="N_PARAMETERS = 785"),
    Variant("the blank predictions as integers and a tensor", old="BLANK_WITHOUT_BIAS = 0.0\nBLANK_WITH_BIAS = -1.5",
            new="BLANK_WITHOUT_BIAS = 0\nBLANK_WITH_BIAS = torch.tensor([-1.5])"),
]
