from . import Variant

MUTANTS = [
    Variant("applies the 2/curvature rule with curvature a instead of 2a: 2/a", old="    return 1 / a", new="    return 2 / a"),
    Variant("confuses the one-step learning rate 1/(2a) with the largest stable one",
            old="    return 1 / a", new="    return 1 / (2 * a)"),
    Variant("differentiates a*x**2 as a*x", old="x - lr * 2 * a * x", new="x - lr * a * x"),
    Variant("climbs the gradient", old="x - lr * 2 * a * x", new="x + lr * 2 * a * x"),
    Variant("forgets the starting point", old="    xs = [x0]\n    for _ in range(steps):\n        x = xs[-1]\n"
            "        xs.append(x - lr * 2 * a * x)\n    return xs",
            new="    xs, x = [], x0\n    for _ in range(steps):\n        x = x - lr * 2 * a * x\n"
            "        xs.append(x)\n    return xs"),
]

ALTERNATIVES = [
    Variant("closed form", old="    xs = [x0]\n    for _ in range(steps):\n        x = xs[-1]\n"
            "        xs.append(x - lr * 2 * a * x)\n    return xs",
            new="    return [x0 * (1 - 2 * a * lr) ** k for k in range(steps + 1)]"),
    Variant("autograd for the derivative, a tensor result", old="    xs = [x0]\n    for _ in range(steps):\n"
            "        x = xs[-1]\n        xs.append(x - lr * 2 * a * x)\n    return xs",
            new="    import torch\n    x = torch.tensor(float(x0), requires_grad=True)\n    xs = [x.item()]\n"
            "    for _ in range(steps):\n        (a * x ** 2).backward()\n        with torch.no_grad():\n"
            "            x -= lr * x.grad\n        x.grad = None\n        xs.append(x.item())\n"
            "    return torch.tensor(xs)"),
    Variant("the limit written as 2 / (2 * a)", old="    return 1 / a", new="    return 2 / (2 * a)"),
]
