from . import Variant

MUTANTS = [
    Variant("takes the absolute value", old="return x.clamp(min=0)", new="return x.abs()"),
    Variant("leaks a tenth of the negatives (leaky ReLU)", old="return x.clamp(min=0)",
            new="return torch.where(x > 0, x, 0.1 * x)"),
    Variant("plots from 0 to 2 only", old="torch.linspace(-2, 2, 101)", new="torch.linspace(0, 2, 101)"),
    Variant("calls torch's own relu", old="return x.clamp(min=0)", new="return torch.relu(x)"),
    Variant("calls F.relu through a helper", old="    return x.clamp(min=0)\n",
            new="    return _rectify(x)\n\n\ndef _rectify(x):\n    import torch.nn.functional as F\n    return F.relu(x)\n"),
    Variant("a leaky ReLU with a slope of 0, which is a ReLU", old="return x.clamp(min=0)",
            new="return torch.nn.functional.leaky_relu(x, 0.0)"),
    Variant("PyTorch's threshold, set to cut at 0", old="return x.clamp(min=0)",
            new="return torch.nn.functional.threshold(x, 0.0, 0.0)"),
    Variant("clips at 1 as well, like a hard sigmoid", old="return x.clamp(min=0)", new="return x.clamp(min=0, max=1)"),
]

ALTERNATIVES = [
    Variant("numpy maximum", old="    return x.clamp(min=0)\n",
            new="    import numpy as np\n    return np.maximum(np.asarray(x), 0)\n"),
    Variant("multiplies by a mask", old="return x.clamp(min=0)", new="return x * (x > 0)"),
    Variant("torch.where", old="return x.clamp(min=0)", new="return torch.where(x > 0, x, torch.zeros_like(x))"),
    Variant("plots with pyplot and numpy, with a zero line", old=(
        "    fig = Figure()\n    ax = fig.subplots()\n    xs = torch.linspace(-2, 2, 101)\n"
        "    ax.plot(xs, relu(xs))\n"
    ), new=(
        "    import matplotlib.pyplot as plt\n    import numpy as np\n    fig, ax = plt.subplots()\n"
        "    ax.axhline(0, color='grey')\n    xs = np.linspace(-2, 2, 9)\n    ax.plot(xs, np.maximum(xs, 0))\n"
    )),
]
