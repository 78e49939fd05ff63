from . import Variant

SHAPE = "    if colour:\n        return (3, height, width)\n    return (height, width)\n"
BYTES = "    channels = 3 if colour else 1\n    return channels * height * width\n"

MUTANTS = [
    Variant("colour channels last, as in a PIL or numpy image", old="return (3, height, width)",
            new="return (height, width, 3)"),
    Variant("greyscale image with a channel axis of one", old="return (height, width)\n",
            new="return (1, height, width)\n"),
    Variant("counts one byte per pixel even in colour", old="channels = 3 if colour else 1", new="channels = 1"),
    Variant("returns the shape as a list, not a tuple", old="return (height, width)\n", new="return [height, width]\n"),
    Variant("thinks MNIST stores ink as 0, like a scanned page", old='PIXEL_VALUES = "b"', new='PIXEL_VALUES = "c"'),
]

ALTERNATIVES = [
    Variant("shape read off an empty tensor", old=SHAPE,
            new="    import torch\n    sizes = (3, height, width) if colour else (height, width)\n"
                "    return tuple(torch.empty(sizes).shape)\n"),
    Variant("bytes counted by numpy", old=BYTES,
            new="    import numpy as np\n"
                "    return np.zeros(image_shape(height, width, colour), dtype=np.uint8).nbytes\n"),
    Variant("bytes as a numpy product (a numpy int)", old=BYTES,
            new="    import numpy as np\n    return np.prod(image_shape(height, width, colour))\n"),
    Variant("a torch.Size, which is a tuple", old="    return (height, width)\n",
            new="    import torch\n    return torch.Size([height, width])\n"),
    Variant("upper-case letter", old='PIXEL_VALUES = "b"', new='PIXEL_VALUES = "B"'),
]
