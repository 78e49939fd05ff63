from . import Variant

MUTANTS = [
    Variant("column means with a loop over the columns", old="return x.mean(dim=0)",
            new="return torch.stack([x[:, j].mean() for j in range(x.shape[1])])"),
    Variant("scale and shift with a loop over the rows", old="    return a * x + b\n", new=(
        "    out = torch.empty_like(x)\n"
        "    for i in range(len(x)):\n"
        "        out[i] = a * x[i] + b\n"
        "    return out\n")),
    Variant("means of the rows instead of the columns", old="return x.mean(dim=0)", new="return x.mean(dim=1)"),
    Variant("loops in a helper function", old="    return x.mean(dim=0)\n", new=(
        "    return _means(x)\n\n\ndef _means(x):\n    return torch.stack([x[:, j].mean() for j in range(x.shape[1])])\n")),
    Variant("rebinds the name to a looping version after the definition", old='WHY_FASTER = "b"', new=(
        'WHY_FASTER = "b"\n\n\ndef _looping(x, a, b):\n    out = x.clone()\n    for i in range(len(x)):\n'
        '        out[i] = a * x[i] + b\n    return out\n\n\nscale_and_shift = _looping')),
    Variant("loops hidden in map", old="return x.mean(dim=0)",
            new="return torch.stack(list(map(lambda column: column.mean(), x.T)))"),
    Variant("thinks tensors are faster because they are less precise", old='WHY_FASTER = "b"', new='WHY_FASTER = "a"'),
]

ALTERNATIVES = [
    Variant("sum divided by the number of rows", old="return x.mean(dim=0)", new="return x.sum(0) / x.shape[0]"),
    Variant("numpy", old="    return x.mean(dim=0)\n",
            new="    import numpy as np\n    return np.mean(x.numpy(), axis=0)\n"),
    Variant("torch.add and torch.mul", old="return a * x + b", new="return torch.add(torch.mul(x, a), b)"),
    Variant("a vectorised helper with a docstring", old="return x.mean(dim=0)", new=(
        "return _average(x, axis=0)\n\n\ndef _average(x, axis):\n    \"\"\"The mean along one axis.\"\"\"\n"
        "    return x.sum(axis) / x.shape[axis]")),
    Variant("trying it out at the top of the file, with a loop and a comprehension", old='WHY_FASTER = "b"', new=(
        'WHY_FASTER = "b"\n\nx = torch.stack([torch.arange(3.0) + i for i in range(4)])\nfor row in x:\n'
        '    assert row.shape == (3,)\nassert column_means(x).tolist() == [1.5, 2.5, 3.5]')),
    Variant("matrix product with a column of ones", old="return x.mean(dim=0)",
            new="return (torch.ones(1, x.shape[0]) @ x).squeeze(0) / x.shape[0]"),
]
