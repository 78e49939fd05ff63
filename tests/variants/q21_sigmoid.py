from . import Variant

MUTANTS = [
    Variant("draws tanh: range (-1, 1) instead of (0, 1)", old="return 1 / (1 + torch.exp(-x))",
            new="return torch.tanh(x)"),
    Variant("drops the minus sign: a decreasing curve", old="torch.exp(-x)", new="torch.exp(x)"),
    Variant("e^x / (1 + e^x): nan for large inputs", old="return 1 / (1 + torch.exp(-x))",
            new="return torch.exp(x) / (1 + torch.exp(x))"),
    Variant("plots only between -1 and 1, missing the flat ends", old="torch.linspace(-6, 6, 121)",
            new="torch.linspace(-1, 1, 121)"),
    Variant("believes the sigmoid is a hard step", old='SHAPE = "a"', new='SHAPE = "c"'),
    Variant("believes the sigmoid is bounded by 0 and -1", old='SHAPE = "a"', new='SHAPE = "b"'),
]

ALTERNATIVES = [
    Variant("torch's own sigmoid", old="return 1 / (1 + torch.exp(-x))", new="return torch.sigmoid(x)"),
    Variant("the tanh form of the same function", old="return 1 / (1 + torch.exp(-x))",
            new="return 0.5 * (1 + torch.tanh(x / 2))"),
    Variant("numpy for the formula and the plot", old=(
        "    x = torch.linspace(-6, 6, 121)\n    fig = Figure()\n    ax = fig.subplots()\n"
        "    ax.plot(x.numpy(), sigmoid(x).numpy())"
    ), new=(
        "    import numpy as np\n    x = np.linspace(-10, 10, 400)\n    fig = Figure()\n    ax = fig.subplots()\n"
        "    ax.plot(x, 1 / (1 + np.exp(-x)), label='sigmoid')\n    ax.axhline(0, ls='--')\n    ax.axhline(1, ls='--')"
    )),
    Variant("pyplot's figure, torch tensors plotted directly", old=(
        "    fig = Figure()\n    ax = fig.subplots()\n    ax.plot(x.numpy(), sigmoid(x).numpy())"
    ), new=(
        "    import matplotlib.pyplot as plt\n    fig, ax = plt.subplots()\n"
        "    ax.plot(x, sigmoid(x))\n    plt.close(fig)"
    )),
    Variant("answers with a capital letter", old='SHAPE = "a"', new='SHAPE = "A"'),
]
