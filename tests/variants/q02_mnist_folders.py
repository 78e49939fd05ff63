from . import Variant

MUTANTS = [
    Variant("counts every file, not only the PNG images", old='glob("*/*/*.png")', new='glob("*/*/*")'),
    Variant("counts PNG files at any depth, the stray one at the top too", old='glob("*/*/*.png")',
            new='rglob("*.png")'),
    Variant("returns the label as a number", old="return Path(path).parent.name", new="return int(Path(path).parent.name)"),
    Variant("reads the label from the file name", old="return Path(path).parent.name",
            new="return Path(path).stem[0]"),
    Variant("takes the split folder for the label", old="return Path(path).parent.name",
            new="return Path(path).parent.parent.name"),
]

ALTERNATIVES = [
    Variant("lists the folders with os.listdir and a Counter", old=(
        "    counts = {}\n"
        '    for png in Path(root).glob("*/*/*.png"):\n'
        "        key = (png.parent.parent.name, png.parent.name)\n"
        "        counts[key] = counts.get(key, 0) + 1\n"
        "    return counts\n"), new=(
        "    import os\n    from collections import Counter\n"
        "    counts = Counter()\n"
        "    for split in sorted(os.listdir(root)):\n"
        "        if not os.path.isdir(os.path.join(root, split)):\n"
        "            continue\n"
        "        for label in os.listdir(os.path.join(root, split)):\n"
        "            folder = os.path.join(root, split, label)\n"
        "            if os.path.isdir(folder):\n"
        "                counts[(split, label)] = sum(name.endswith('.png') for name in os.listdir(folder))\n"
        "    return dict(counts)\n")),
    Variant("splits the path string on slashes", old="return Path(path).parent.name",
            new='return str(path).split("/")[-2]'),
]
