from . import Variant

MUTANTS = [
    Variant("joins the images with torch.cat (rank 2)", old="torch.stack(images)", new="torch.cat(images)"),
    Variant("takes the rank for the length of the first axis", old="return t.ndim", new="return len(t)"),
    Variant("takes the rank for the largest axis size", old="return t.ndim", new="return max(t.shape, default=0)"),
    Variant("returns the rank as a float", old="return t.ndim", new="return float(t.ndim)"),
    Variant("counts the 3 colour channels as the third axis", old='RANK_3 = "c"', new='RANK_3 = "b"'),
    Variant("counts height, width and brightness as three axes", old='RANK_3 = "c"', new='RANK_3 = "a"'),
]

ALTERNATIVES = [
    Variant("numpy stack", old="return torch.stack(images)",
            new="import numpy as np\n    return np.stack([image.numpy() for image in images])"),
    Variant("cat of images with a new axis", old="return torch.stack(images)",
            new="return torch.cat([image.unsqueeze(0) for image in images])"),
    Variant("rank as the length of the shape", old="return t.ndim", new="return len(t.shape)"),
    Variant("rank with dim()", old="return t.ndim", new="return t.dim()"),
]
