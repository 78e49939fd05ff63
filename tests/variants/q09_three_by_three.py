from . import Variant

MUTANTS = [
    Variant("slices the top-left corner", old="return t[-2:, -2:]", new="return t[:2, :2]"),
    Variant("off by one: starts at index 2", old="return t[-2:, -2:]", new="return t[2:, 2:]"),
    Variant("the 3 x 3 slice t[1:, 1:], not the last two rows and columns", old="return t[-2:, -2:]",
            new="return t[1:, 1:]"),
    Variant("fills 1 to 9 column by column", old="torch.arange(1, 10).reshape(3, 3)",
            new="torch.arange(1, 10).reshape(3, 3).T"),
    Variant("counts from 0, as arange does by default", old="return torch.arange(1, 10)", new="return torch.arange(9)"),
    Variant("squares instead of doubling", old="return t * 2", new="return t ** 2"),
]

ALTERNATIVES = [
    Variant("nested list", old="torch.arange(1, 10).reshape(3, 3)",
            new="torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])"),
    Variant("numpy array", old="return torch.arange(1, 10).reshape(3, 3)",
            new="import numpy as np\n    return np.arange(1, 10).reshape(3, 3)"),
    Variant("float tensor with view", old="torch.arange(1, 10).reshape(3, 3)",
            new="torch.arange(1.0, 10.0).view(3, 3)"),
    Variant("adds the tensor to itself", old="return t * 2", new="return t + t"),
    Variant("slices from the sizes", old="return t[-2:, -2:]",
            new="rows, cols = t.shape\n    return t[rows - 2:rows, cols - 2:cols]"),
]
