from . import Variant

MUTANTS = [
    Variant("forgets the sigmoid", old="    predictions = predictions.sigmoid()\n", new=""),
    Variant("swaps the branches of torch.where", old="targets == 1, 1 - predictions, predictions",
            new="targets == 1, predictions, 1 - predictions"),
    Variant("returns a Python float", old=").mean()\n", new=").mean().item()\n"),
    Variant("thinks the loss is the number we report", old='LOSS_IS = "c"', new='LOSS_IS = "a"'),
]

ALTERNATIVES = [
    Variant("arithmetic instead of torch.where", old="torch.where(targets == 1, 1 - predictions, predictions).mean()",
            new="(targets * (1 - predictions) + (1 - targets) * predictions).mean()"),
    Variant("the sigmoid written out", old="predictions.sigmoid()", new="1 / (1 + torch.exp(-predictions))"),
    Variant("torch.sigmoid", old="predictions.sigmoid()", new="torch.sigmoid(predictions)"),
]
