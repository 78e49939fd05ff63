from . import Variant

MUTANTS = [
    Variant("starts every weight at zero", old="torch.randn(size) * std", new="torch.zeros(size) * std"),
    Variant("forgets to track the gradient", old="(torch.randn(size) * std).requires_grad_()",
            new="torch.randn(size) * std"),
    Variant("draws uniformly from 0..1 with torch.rand", old="torch.randn(size)", new="torch.rand(size)"),
    Variant("asks for gradients before scaling, so the result is not a leaf",
            old="(torch.randn(size) * std).requires_grad_()", new="torch.randn(size, requires_grad=True) * std"),
    Variant("ignores std", old="(torch.randn(size) * std)", new="torch.randn(size)"),
    Variant("no gradient tracking, hidden by changing the given one_backward_pass", old=(
        "    return (torch.randn(size) * std).requires_grad_()\n\n\n"
        "# Given: do not change. The grader calls it to see that your weights track their gradient.\n"
        "def one_backward_pass(size):\n    weights = init_params(size)\n"), new=(
        "    return torch.randn(size) * std\n\n\n"
        "# Given: do not change. The grader calls it to see that your weights track their gradient.\n"
        "def one_backward_pass(size):\n    weights = init_params(size).requires_grad_()\n")),
    Variant("tracks the gradient on the w1 it is given, leaving a .grad on it",
            old="    w1 = w1.detach().clone().requires_grad_()\n", new="    w1.requires_grad_()\n"),
    Variant("the hidden layer's gradient without the ReLU", old="torch.relu(x @ w1) @ w2", new="(x @ w1) @ w2"),
    Variant("returns w2's gradient", old=(
        "    w1 = w1.detach().clone().requires_grad_()\n    mnist_loss(torch.relu(x @ w1) @ w2, y).backward()\n"
        "    return w1.grad"), new=(
        "    w2 = w2.detach().clone().requires_grad_()\n    mnist_loss(torch.relu(x @ w1) @ w2, y).backward()\n"
        "    return w2.grad.expand(w1.shape[1], 1).T.expand_as(w1)")),
]

ALTERNATIVES = [
    Variant("hidden gradients by torch.autograd.grad, with F.relu", old=(
        "    w1 = w1.detach().clone().requires_grad_()\n    mnist_loss(torch.relu(x @ w1) @ w2, y).backward()\n"
        "    return w1.grad"), new=(
        "    import torch.nn.functional as F\n    w = w1.clone().requires_grad_(True)\n"
        "    return torch.autograd.grad(mnist_loss(F.relu(x.matmul(w)).matmul(w2), y), w)[0]")),
    Variant("fills an empty tensor with normal_", old="(torch.randn(size) * std).requires_grad_()",
            new="torch.empty(size).normal_(0, std).requires_grad_()"),
    Variant("numpy draw, converted", old="    return (torch.randn(size) * std).requires_grad_()", new=(
        "    import numpy as np\n"
        "    return torch.tensor(np.random.normal(0.0, std, size), dtype=torch.float32, requires_grad=True)")),
    Variant("torch.normal with a tuple size", old="(torch.randn(size) * std).requires_grad_()", new=(
        "torch.normal(0.0, std, size=(size,) if isinstance(size, int) else tuple(size)).requires_grad_()")),
]
