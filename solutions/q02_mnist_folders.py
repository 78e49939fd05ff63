"""Question 2: How the MNIST_SAMPLE files are laid out, and why (fastbook ch. 4, question 2). Model answer."""
from pathlib import Path


def count_images(root: Path) -> dict[tuple[str, str], int]:
    counts = {}
    for png in Path(root).glob("*/*/*.png"):
        key = (png.parent.parent.name, png.parent.name)
        counts[key] = counts.get(key, 0) + 1
    return counts


def label_of(path: str | Path) -> str:
    return Path(path).parent.name


EXPLAIN = """
The top folder splits the images into a training set (`train`) and a validation set
(`valid`); inside each split there is one folder per class (`3` and `7`) holding that
digit's PNG files. The label is the name of the folder an image sits in, so no separate
list of labels is needed, and adding an image to a class means dropping it in the right
folder. The separate validation set holds labelled images the model never trains on, so
its accuracy there shows how well it does on digits it has not seen. This layout is a
common convention, which is why libraries can read it directly.
"""
