from . import Variant

MUTANTS = [
    Variant("treats accuracy as the loss", old='{"accuracy": "metric",', new='{"accuracy": "loss",'),
    Variant("thresholds the raw outputs at 0.5, before the sigmoid", old="(preds.sigmoid() > 0.5)",
            new="(preds > 0.5)"),
    Variant("counts the correct predictions instead of their share", old="correct.float().mean()",
            new="correct.float().sum()"),
    Variant("thinks minimising the error rate fixes accuracy as a loss", old='WHY_NOT_ACCURACY = "a"',
            new='WHY_NOT_ACCURACY = "c"'),
]

ALTERNATIVES = [
    Variant("compares the raw outputs with 0", old="(preds.sigmoid() > 0.5) == targets.bool()",
            new="(preds > 0).float() == targets"),
    Variant("numpy, returning a float",
            old="    correct = (preds.sigmoid() > 0.5) == targets.bool()\n    return correct.float().mean()",
            new="    import numpy as np\n    p, t = np.asarray(preds), np.asarray(targets)\n"
                "    return float(np.mean((1 / (1 + np.exp(-p)) > 0.5) == (t == 1)))"),
    Variant("capitalised roles", old='"mnist_loss": "loss", "mse": "loss"}',
            new='"mnist_loss": "Loss", "mse": "LOSS"}'),
]
