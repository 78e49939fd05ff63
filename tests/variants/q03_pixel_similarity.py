from . import Variant

DISTANCE = "    return (a - b).abs().mean((-1, -2))\n"

MUTANTS = [
    Variant("signed differences, so opposite errors cancel out", old="(a - b).abs().mean((-1, -2))",
            new="(a - b).mean((-1, -2))"),
    Variant("measures the distance as RMSE (L2) where L1 is asked for", old="(a - b).abs().mean((-1, -2))",
            new="((a - b) ** 2).mean((-1, -2)).sqrt()"),
    Variant("returns 0.0 and 1.0 instead of True and False",
            old="return distance(images, mean3) < distance(images, mean7)",
            new="return (distance(images, mean3) < distance(images, mean7)).float()"),
    Variant("calls an image a 3 when it is closer to the mean 7",
            old="distance(images, mean3) < distance(images, mean7)",
            new="distance(images, mean3) > distance(images, mean7)"),
    Variant("averages each image's pixels instead of averaging across images", old="return images.mean(0)",
            new="return images.mean((1, 2))"),
    Variant("accuracy on 7s counts the images called a 3", old="on_7s = 1 - predict_is_3(",
            new="on_7s = predict_is_3("),
]

ALTERNATIVES = [
    Variant("sum over the stack divided by its length", old="return images.mean(0)",
            new="return images.sum(dim=0) / len(images)"),
    Variant("numpy distance", old=DISTANCE,
            new="    import numpy as np\n"
                "    return torch.from_numpy(np.abs(a.numpy() - b.numpy()).mean(axis=(-1, -2)))\n"),
    Variant("distance with F.l1_loss", old=DISTANCE,
            new="    import torch.nn.functional as F\n"
                "    return F.l1_loss(a, b.expand_as(a), reduction='none').mean((-1, -2))\n"),
    Variant("accuracy as Python floats from counts", old=(
        "    on_3s = predict_is_3(valid_3, mean3, mean7).float().mean().item()\n"
        "    on_7s = 1 - predict_is_3(valid_7, mean3, mean7).float().mean().item()\n"), new=(
        "    on_3s = int(predict_is_3(valid_3, mean3, mean7).sum()) / len(valid_3)\n"
        "    on_7s = int((~predict_is_3(valid_7, mean3, mean7)).sum()) / len(valid_7)\n")),
]
