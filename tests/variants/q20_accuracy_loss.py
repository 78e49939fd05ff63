from . import Variant

ONE_MINUS_ACCURACY = (
    "    return 1 - ((predictions > 0).float() == targets).float().mean()"
)

MUTANTS = [
    Variant("uses 1 - accuracy as the loss",
            old="    probabilities = predictions.sigmoid()\n"
                "    return torch.where(targets == 1, 1 - probabilities, probabilities).mean()",
            new=ONE_MINUS_ACCURACY),
    Variant("a hinge loss, which gives confident items no gradient at all",
            old="    probabilities = predictions.sigmoid()\n"
                "    return torch.where(targets == 1, 1 - probabilities, probabilities).mean()",
            new="    return torch.relu(1 - (2 * targets - 1) * predictions).mean()"),
    Variant("squared error on the raw scores",
            old="    probabilities = predictions.sigmoid()\n"
                "    return torch.where(targets == 1, 1 - probabilities, probabilities).mean()",
            new="    return ((predictions - targets) ** 2).mean()"),
    Variant("thinks 1 - accuracy would fix it", old='WHY_NOT_ACCURACY = "b"', new='WHY_NOT_ACCURACY = "d"'),
]

ALTERNATIVES = [
    Variant("binary cross-entropy on the scores",
            old="    probabilities = predictions.sigmoid()\n"
                "    return torch.where(targets == 1, 1 - probabilities, probabilities).mean()",
            new="    return torch.nn.functional.binary_cross_entropy_with_logits(predictions, targets)"),
    Variant("squared error after the sigmoid", old="torch.where(targets == 1, 1 - probabilities, probabilities).mean()",
            new="((probabilities - targets) ** 2).mean()"),
    Variant("softplus of the signed score",
            old="    probabilities = predictions.sigmoid()\n"
                "    return torch.where(targets == 1, 1 - probabilities, probabilities).mean()",
            new="    return torch.nn.functional.softplus(-(2 * targets - 1) * predictions).mean()"),
]
