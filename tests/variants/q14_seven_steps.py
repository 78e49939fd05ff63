from . import Variant

MUTANTS = [
    Variant("steps the weights before computing the gradient",
            old='"loss", "gradient", "step", "repeat"', new='"loss", "step", "gradient", "repeat"'),
    Variant("measures the loss before predicting",
            old='["init", "predict", "loss",', new='["init", "loss", "predict",'),
    Variant("initialises inside the loop", old='["init", "predict", "loss", "gradient", "step", "repeat", "stop"]',
            new='["predict", "loss", "gradient", "step", "init", "repeat", "stop"]'),
    Variant("thinks backward() updates the weights", old='"loss.backward()": "gradient"', new='"loss.backward()": "step"'),
]

ALTERNATIVES = [
    Variant("a tuple, capitalised", old='["init", "predict", "loss", "gradient", "step", "repeat", "stop"]',
            new='("Init", "Predict", "Loss", "Gradient", "Step", "Repeat", "Stop")'),
]
