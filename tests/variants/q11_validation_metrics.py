from . import Variant

MUTANTS = [
    Variant("reports the accuracy on the training set",
            old="(model(valid_x) > 0).float() == valid_y", new="(model(train_x) > 0).float() == train_y"),
    Variant("reports the accuracy over both sets together",
            old="        return ((model(valid_x) > 0).float() == valid_y).float().mean().item()",
            new="        x, y = torch.cat([train_x, valid_x]), torch.cat([train_y, valid_y])\n"
                "        return ((model(x) > 0).float() == y).float().mean().item()"),
    Variant("thinks the bigger training set gives the more precise metric", old='WHY = "b"', new='WHY = "a"'),
]

ALTERNATIVES = [
    Variant("thresholds the sigmoid at 0.5", old="(model(valid_x) > 0)", new="(torch.sigmoid(model(valid_x)) > 0.5)"),
    Variant("numpy after the model",
            old="        return ((model(valid_x) > 0).float() == valid_y).float().mean().item()",
            new="        import numpy as np\n"
                "        predictions = model(valid_x).numpy() > 0\n"
                "        return float(np.mean(predictions == valid_y.numpy().astype(bool)))"),
    Variant("returns a 0-d tensor and an upper-case letter", old='.float().mean().item()\n\n\nWHY = "b"',
            new='.float().mean()\n\n\nWHY = "B"'),
]
