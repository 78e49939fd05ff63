from . import Variant

MUTANTS = [
    Variant("forgets the biases", old="n_in * n_out + n_out for", new="n_in * n_out for"),
    Variant("counts one bias per input instead of per output", old="n_in * n_out + n_out for",
            new="n_in * n_out + n_in for"),
    Variant("thinks one hidden layer can't approximate any function", old="ONE_HIDDEN_LAYER_IS_ENOUGH_IN_THEORY = True",
            new="ONE_HIDDEN_LAYER_IS_ENOUGH_IN_THEORY = False"),
    Variant("thinks one hidden layer is linear", old='WHY_DEEPER = "b"', new='WHY_DEEPER = "a"'),
]

ALTERNATIVES = [
    Variant("builds the layers and asks PyTorch", old=(
        "    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes, layer_sizes[1:]))\n"
    ), new=(
        "    import torch\n    total = 0\n    for i in range(len(layer_sizes) - 1):\n"
        "        layer = torch.nn.Linear(layer_sizes[i], layer_sizes[i + 1])\n"
        "        total += sum(p.numel() for p in layer.parameters())\n    return total\n"
    )),
    Variant("numpy", old=(
        "    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes, layer_sizes[1:]))\n"
    ), new=(
        "    import numpy as np\n    sizes = np.array(layer_sizes)\n"
        "    return ((sizes[:-1] + 1) * sizes[1:]).sum()\n"
    )),
]
