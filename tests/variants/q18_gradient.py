from . import Variant

MUTANTS = [
    Variant("forward difference divided by 2 * eps", old="        down[i] -= eps\n", new=""),
    Variant("central difference divided by eps", old="/ (2 * eps)", new="/ eps"),
    Variant("nudges x itself instead of a copy", old="up, down = x.clone(), x.clone()", new="up, down = x, x.clone()"),
]

ALTERNATIVES = [
    Variant("rows of an identity matrix as nudges", old="""    grad = torch.zeros_like(x)
    for i in range(len(x)):
        up, down = x.clone(), x.clone()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad""", new="""    nudges = torch.eye(len(x), dtype=x.dtype) * eps
    return torch.stack([(f(x + e) - f(x - e)) / (2 * eps) for e in nudges])"""),
    Variant("a Python list of floats", old="""    grad = torch.zeros_like(x)
    for i in range(len(x)):
        up, down = x.clone(), x.clone()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad""", new="""    grad = []
    for i in range(len(x)):
        up, down = x.clone(), x.clone()
        up[i] += eps
        down[i] -= eps
        grad.append(float(f(up) - f(down)) / (2 * eps))
    return grad"""),
]
