from . import Variant

MUTANTS = [
    Variant("RMSE without the square root (that is the MSE)", old="torch.sqrt(((a - b) ** 2).mean())",
            new="((a - b) ** 2).mean()"),
    Variant("L1 without the absolute value, so differences cancel", old="(a - b).abs().mean()", new="(a - b).mean()"),
    Variant("square root taken before the mean", old="torch.sqrt(((a - b) ** 2).mean())",
            new="torch.sqrt((a - b) ** 2).mean()"),
    Variant("RMSE as the root of the summed squares (the L2 norm)", old="torch.sqrt(((a - b) ** 2).mean())",
            new="torch.sqrt(((a - b) ** 2).sum())"),
    Variant("thinks L1 punishes one big error more", old='BIG_ERRORS = "b"', new='BIG_ERRORS = "a"'),
]

ALTERNATIVES = [
    Variant("torch.nn.functional losses", old=(
        "    return (a - b).abs().mean()\n\n\ndef rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:\n"
        "    return torch.sqrt(((a - b) ** 2).mean())\n"), new=(
        "    import torch.nn.functional as F\n    return F.l1_loss(a, b)\n\n\n"
        "def rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:\n"
        "    import torch.nn.functional as F\n    return F.mse_loss(a, b).sqrt()\n")),
    Variant("numpy floats", old=(
        "    return (a - b).abs().mean()\n\n\ndef rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:\n"
        "    return torch.sqrt(((a - b) ** 2).mean())\n"), new=(
        "    import numpy as np\n    return float(np.mean(np.abs(a.numpy() - b.numpy())))\n\n\n"
        "def rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:\n"
        "    import numpy as np\n    return np.sqrt(np.mean((a.numpy() - b.numpy()) ** 2))\n")),
    Variant("RMSE from the L2 norm", old="torch.sqrt(((a - b) ** 2).mean())",
            new="torch.linalg.vector_norm(a - b) / a.numel() ** 0.5"),
    Variant("explicit loops over the flattened values", old=(
        "    return (a - b).abs().mean()\n\n\ndef rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:\n"
        "    return torch.sqrt(((a - b) ** 2).mean())\n"), new=(
        "    total = 0.0\n    for x, y in zip(a.flatten().tolist(), b.flatten().tolist()):\n"
        "        total += abs(x - y)\n    return total / a.numel()\n\n\n"
        "def rmse(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:\n"
        "    import math\n    total = 0.0\n    for x, y in zip(a.flatten().tolist(), b.flatten().tolist()):\n"
        "        total += (x - y) ** 2\n    return math.sqrt(total / a.numel())\n")),
]
