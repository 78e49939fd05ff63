from . import Variant

MUTANTS = [
    Variant("forgets the biases", old="n_in * n_out + n_out for", new="n_in * n_out for"),
    Variant("counts one bias per input instead of per output", old="n_in * n_out + n_out for",
            new="n_in * n_out + n_in for"),
    Variant("a tent that never comes back down", old="out.weight.copy_(torch.tensor([[2.0, -4.0]]))",
            new="out.weight.copy_(torch.tensor([[2.0, 0.0]]))"),
    Variant("one tent, whatever k", old="    return nn.Sequential(*[layer for _ in range(k) for layer in tent()])",
            new="    return tent()"),
    Variant("the second unit bends at the wrong place", old="hidden.bias.copy_(torch.tensor([0.0, -0.5]))",
            new="hidden.bias.copy_(torch.tensor([0.0, -1.0]))"),
    Variant("a wide shallow net fitted by hand to every tooth", old=(
        "    return nn.Sequential(*[layer for _ in range(k) for layer in tent()])"), new=(
        "    n = 2 ** k\n    hidden, out = nn.Linear(1, n + 1), nn.Linear(n + 1, 1)\n    with torch.no_grad():\n"
        "        hidden.weight.fill_(1.0)\n        hidden.bias.copy_(-torch.arange(n + 1) / n)\n"
        "        slopes = torch.tensor([2.0 ** k * (-1) ** i for i in range(n)] + [0.0])\n"
        "        out.weight.copy_(torch.cat([slopes[:1], slopes[1:] - slopes[:-1]]).unsqueeze(0))\n"
        "        out.bias.zero_()\n    return nn.Sequential(hidden, nn.ReLU(), out)")),
]

ALTERNATIVES = [
    Variant("builds the layers and asks PyTorch", old=(
        "    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes, layer_sizes[1:]))\n"
    ), new=(
        "    total = 0\n    for i in range(len(layer_sizes) - 1):\n"
        "        layer = torch.nn.Linear(layer_sizes[i], layer_sizes[i + 1])\n"
        "        total += sum(p.numel() for p in layer.parameters())\n    return total\n"
    )),
    Variant("numpy", old=(
        "    return sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes, layer_sizes[1:]))\n"
    ), new=(
        "    import numpy as np\n    sizes = np.array(layer_sizes)\n"
        "    return ((sizes[:-1] + 1) * sizes[1:]).sum()\n"
    )),
    Variant("sets the weights through .data in a loop over the blocks", old=(
        "    return nn.Sequential(*[layer for _ in range(k) for layer in tent()])"), new=(
        "    layers = []\n    for _ in range(k):\n        a, b = nn.Linear(1, 2), nn.Linear(2, 1)\n"
        "        a.weight.data = torch.ones(2, 1)\n        a.bias.data = torch.tensor([0.0, -0.5])\n"
        "        b.weight.data = torch.tensor([[2.0, -4.0]])\n        b.bias.data = torch.zeros(1)\n"
        "        layers += [a, nn.ReLU(), b]\n    return nn.Sequential(*layers)")),
]
