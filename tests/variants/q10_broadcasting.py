from . import Variant

SHAPE_LOOP = (  # the model answer's broadcast_shape body, which alternatives replace whole
    "    result = []\n"
    "    for i in range(1, max(len(a), len(b)) + 1):\n"
    "        x = a[-i] if i <= len(a) else 1\n"
    "        y = b[-i] if i <= len(b) else 1\n"
    "        if x != y and x != 1 and y != 1:\n"
    "            return None\n"
    "        result.append(y if x == 1 else x)\n"
    "    return tuple(reversed(result))\n"
)

MUTANTS = [
    Variant("distances with a loop over the images", old="    return (batch - image).abs().mean((-1, -2))\n",
            new="    return torch.stack([(one - image).abs().mean() for one in batch])\n"),
    Variant("distances with a loop in a helper", old="    return (batch - image).abs().mean((-1, -2))\n", new=(
        "    return _each(batch, image)\n\n\ndef _each(batch, image):\n"
        "    return torch.stack([(one - image).abs().mean() for one in batch])\n")),
    Variant("one distance for the whole stack, averaged over every axis",
            old="(batch - image).abs().mean((-1, -2))", new="(batch - image).abs().mean()"),
    Variant("lines the shapes up from the left", old=(
        "        x = a[-i] if i <= len(a) else 1\n        y = b[-i] if i <= len(b) else 1\n"), new=(
        "        x = a[i - 1] if i <= len(a) else 1\n        y = b[i - 1] if i <= len(b) else 1\n")),
    Variant("the result takes the larger size (wrong when the other is 0)",
            old="result.append(y if x == 1 else x)", new="result.append(max(x, y))"),
    Variant("lets numpy apply the rule", old=SHAPE_LOOP, new=(
        "    import numpy as np\n    try:\n        return tuple(np.broadcast_shapes(a, b))\n"
        "    except ValueError:\n        return None\n")),
    Variant("lets PyTorch broadcast empty tensors of the two shapes", old=SHAPE_LOOP, new=(
        "    try:\n        return tuple((torch.empty(a) + torch.empty(b)).shape)\n"
        "    except RuntimeError:\n        return None\n")),
    Variant("thinks the ranks must match", old="    result = []\n",
            new="    if len(a) != len(b):\n        return None\n    result = []\n"),
]

ALTERNATIVES = [
    Variant("image given an explicit leading axis", old="(batch - image).abs().mean((-1, -2))",
            new="(batch - image[None]).abs().mean(dim=(1, 2))"),
    Variant("numpy distances", old="    return (batch - image).abs().mean((-1, -2))\n",
            new="    import numpy as np\n    return np.abs(batch.numpy() - image.numpy()).mean(axis=(1, 2))\n"),
    Variant("F.l1_loss with expand_as", old="    return (batch - image).abs().mean((-1, -2))\n",
            new="    import torch.nn.functional as F\n"
                "    return F.l1_loss(batch, image.expand_as(batch), reduction='none').mean((1, 2))\n"),
    Variant("zip_longest over the reversed shapes", old=SHAPE_LOOP, new=(
        "    from itertools import zip_longest\n"
        "    out = []\n"
        "    for x, y in zip_longest(reversed(a), reversed(b), fillvalue=1):\n"
        "        if x == y or y == 1:\n"
        "            out.insert(0, x)\n"
        "        elif x == 1:\n"
        "            out.insert(0, y)\n"
        "        else:\n"
        "            return None\n"
        "    return tuple(out)\n")),
    Variant("pads the shorter shape with ones first, returns a list", old=SHAPE_LOOP, new=(
        "    n = max(len(a), len(b))\n"
        "    a = [1] * (n - len(a)) + list(a)\n"
        "    b = [1] * (n - len(b)) + list(b)\n"
        "    if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):\n"
        "        return None\n"
        "    return [y if x == 1 else x for x, y in zip(a, b)]\n")),
]
