from . import Variant

ACCURACY = "        return ((model(x) > 0).float() == y).float().mean().item()"
OVERFIT = "    while accuracy(net, x, y) < 1.0:\n        train(net, x, y)\n"

MUTANTS = [
    Variant("compares the raw scores with 0.5, as if they had been through the sigmoid",
            old="(model(x) > 0)", new="(model(x) > 0.5)"),
    Variant("counts the rows classified correctly instead of their share", old=".float().mean().item()",
            new=".float().sum().item()"),
    Variant("calls a score of exactly 0 a 3", old="(model(x) > 0)", new="(model(x) >= 0)"),
    Variant("squeezes the scores but not the labels, so the comparison spreads to an n x n table",
            old="(model(x) > 0).float() == y", new="(model(x).squeeze(1) > 0).float() == y"),
    Variant("trains once, without checking that every row is right", old=OVERFIT, new="    train(net, x, y)\n"),
    Variant("makes a new net each time round the loop, so training never adds up", old=OVERFIT,
            new="    while accuracy(net, x, y) < 1.0:\n        net = small_net()\n        train(net, x, y)\n"),
    Variant("returns a net it never trained", old=OVERFIT, new=""),
    Variant("changes the given train to take a hundred steps", old="    for _ in range(5):\n",
            new="    for _ in range(100):\n"),
    Variant("thinks the bigger training set gives the more precise metric", old='WHY = "b"', new='WHY = "a"'),
]

ALTERNATIVES = [
    Variant("thresholds the sigmoid at 0.5, returns a 0-d tensor", old=ACCURACY,
            new="        return ((torch.sigmoid(model(x)) > 0.5).float() == y).float().mean()"),
    Variant("numpy after the model, and an upper-case letter", old=ACCURACY + "\n", new=(
        "        import numpy as np\n        predictions = model(x).numpy() > 0\n"
        "        return float(np.mean(predictions == y.numpy().astype(bool)))\n")),
    Variant("a bounded for loop that stops once every row is right", old=OVERFIT, new=(
        "    for _ in range(100):\n        if accuracy(net, x, y) == 1.0:\n            break\n"
        "        train(net, x, y)\n")),
    Variant("upper-case letter", old='WHY = "b"', new='WHY = "B"'),
]
