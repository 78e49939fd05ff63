from . import Variant

MUTANTS = [
    Variant("starts every weight at zero", old="torch.randn(size) * std", new="torch.zeros(size) * std"),
    Variant("forgets to track the gradient", old="(torch.randn(size) * std).requires_grad_()",
            new="torch.randn(size) * std"),
    Variant("draws uniformly from 0..1 with torch.rand", old="torch.randn(size)", new="torch.rand(size)"),
    Variant("asks for gradients before scaling, so the result is not a leaf",
            old="(torch.randn(size) * std).requires_grad_()", new="torch.randn(size, requires_grad=True) * std"),
    Variant("ignores std", old="(torch.randn(size) * std)", new="torch.randn(size)"),
    Variant("thinks random starts are what makes SGD stochastic", old='WHY_RANDOM = "d"', new='WHY_RANDOM = "b"'),
]

ALTERNATIVES = [
    Variant("fills an empty tensor with normal_", old="(torch.randn(size) * std).requires_grad_()",
            new="torch.empty(size).normal_(0, std).requires_grad_()"),
    Variant("numpy draw, converted", old="    return (torch.randn(size) * std).requires_grad_()", new=(
        "    import numpy as np\n"
        "    return torch.tensor(np.random.normal(0.0, std, size), dtype=torch.float32, requires_grad=True)")),
    Variant("torch.normal with a tuple size", old="(torch.randn(size) * std).requires_grad_()", new=(
        "torch.normal(0.0, std, size=(size,) if isinstance(size, int) else tuple(size)).requires_grad_()")),
]
