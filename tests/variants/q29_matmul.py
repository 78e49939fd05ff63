from . import Variant

MUTANTS = [
    Variant("multiplies element by element", old="return (a[:, :, None] * b[None, :, :]).sum(1)", new="return a * b"),
    Variant("sums over the wrong index: a @ b.T", old="return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="return (a[:, None, :] * b[None, :, :]).sum(2)"),
    Variant("calls the @ operator it should rebuild", old="return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="return a @ b"),
    Variant("hides torch.mm behind an alias", old="    return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="    return product(a, b)\n\n\nproduct = torch.mm"),
    Variant("imports numpy's dot under another name", old="    return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="    from numpy import dot as times\n    return torch.from_numpy(times(a.numpy(), b.numpy()))"),
    Variant("dot products of rows and columns with torch.linalg.vecdot", old="return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="return torch.linalg.vecdot(a[:, None, :], b.T[None, :, :])"),
    Variant("each row of the product with addmv", old="    return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="    return torch.stack([torch.addmv(torch.zeros(len(a)), a, column) for column in b.T], dim=1)"),
    Variant("the product as a batch of one with addbmm", old="return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="return torch.addbmm(torch.zeros(len(a), b.shape[1]), a[None], b[None])"),
    Variant("the product as a batch of one with baddbmm", old="return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="return torch.baddbmm(torch.zeros(1, len(a), b.shape[1]), a[None], b[None])[0]"),
    Variant("thinks @ multiplies element by element", old='AT = "b"', new='AT = "a"'),
]

ALTERNATIVES = [
    Variant("three nested loops", old="    return (a[:, :, None] * b[None, :, :]).sum(1)", new=(
        "    n, k = a.shape\n    m = b.shape[1]\n    out = torch.zeros(n, m)\n"
        "    for i in range(n):\n        for j in range(m):\n            for p in range(k):\n"
        "                out[i, j] += a[i, p] * b[p, j]\n    return out"
    )),
    Variant("row times column, summed", old="    return (a[:, :, None] * b[None, :, :]).sum(1)", new=(
        "    return torch.stack([torch.stack([(a[i] * b[:, j]).sum() for j in range(b.shape[1])])\n"
        "                        for i in range(a.shape[0])])"
    )),
    Variant("broadcasting against the transpose", old="return (a[:, :, None] * b[None, :, :]).sum(1)",
            new="return (a[:, None, :] * b.T[None, :, :]).sum(2)"),
    Variant("numpy broadcasting", old="    return (a[:, :, None] * b[None, :, :]).sum(1)", new=(
        "    import numpy as np\n    return np.sum(a.numpy()[:, :, None] * b.numpy()[None, :, :], axis=1)"
    )),
    Variant("local names dot and mm, in a helper", old="    return (a[:, :, None] * b[None, :, :]).sum(1)", new=(
        "    return torch.stack([_row(r, b) for r in a])\n\n\ndef _row(r, b):\n    mm = r[:, None] * b\n"
        "    dot = mm.sum(0)\n    return dot")),
    Variant("plain Python lists of lists", old="    return (a[:, :, None] * b[None, :, :]).sum(1)", new=(
        "    A, B = a.tolist(), b.tolist()\n"
        "    return [[sum(x * y for x, y in zip(row, col)) for col in zip(*B)] for row in A]"
    )),
]
