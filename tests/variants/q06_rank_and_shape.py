from . import Variant

MUTANTS = [
    Variant("rank as the largest size", old="return len(shape)", new="return max(shape, default=0)"),
    Variant("rank as the number of values", old="return len(shape)", new="return math.prod(shape)"),
    Variant("a scalar holds no values", old="return math.prod(shape)", new="return math.prod(shape) if shape else 0"),
    Variant("number of values as the sum of the sizes", old="return math.prod(shape)", new="return sum(shape)"),
    Variant("builds a tensor of the shape to count its numbers", old="return math.prod(shape)",
            new="return __import__('torch').empty(shape).numel()"),
    Variant("thinks a single number is rank 1", old="return len(shape)", new="return len(shape) or 1"),
]

ALTERNATIVES = [
    Variant("numel with an explicit loop", old="    return math.prod(shape)\n",
            new="    total = 1\n    for size in shape:\n        total *= size\n    return total\n"),
    Variant("numel with numpy", old="    return math.prod(shape)\n",
            new="    import numpy as np\n    return int(np.prod(shape, dtype=np.int64))\n"),
    Variant("rank by counting the sizes", old="return len(shape)", new="return sum(1 for _ in shape)"),
    Variant("rank as the length of a list of the sizes", old="return len(shape)",
            new="return len(list(shape))"),
]
