"""Question 2: How the MNIST_SAMPLE files are laid out, and why (fastbook ch. 4, question 2).

The chapter's small MNIST dataset is a folder tree: one folder per split (`train`,
`valid`), and inside each split one folder per label (`3`, `7`) full of PNG images.
Nothing inside a PNG says which digit it shows: the folder it sits in does. Other
files can sit beside the images (the real download has a `labels.csv` at the top).

    MNIST_SAMPLE/
        labels.csv
        train/3/10.png  train/3/10000.png  ...
        train/7/10002.png  ...
        valid/3/...     valid/7/...

Part 1. Write `count_images(root)`: for every folder `root/<split>/<label>/` that holds
PNG files, how many `.png` files it holds, as a dict keyed by `(split, label)`, both
strings. Ignore any file that does not end in `.png`; a folder with no PNG in it may be
left out or given 0. `root` is a `pathlib.Path`.

    >>> count_images(Path("MNIST_SAMPLE"))
    {('train', '3'): 6131, ('train', '7'): 6265, ('valid', '3'): 1010, ('valid', '7'): 1028}

Part 2. Write `label_of(path)`: the label of one image, read from where it is stored
(a string). `path` may be a `str` or a `pathlib.Path`.

    >>> label_of("MNIST_SAMPLE/valid/7/1234.png")
    '7'

Why this layout: a label is the name of a folder, so no list of labels can drift out of
step with the images, and the `valid` split keeps labelled images apart for measuring
(question 11 is about that).

Given: `root`, a folder laid out as above. Graded: your counts on random folder trees (other
files, other labels, empty folders, a stray PNG outside the label folders); and the labels you
read from many paths.
"""
from pathlib import Path


def count_images(root: Path) -> dict[tuple[str, str], int]:
    raise NotImplementedError("count the PNG files of each split/label folder")


def label_of(path: str | Path) -> str:
    raise NotImplementedError("return the label of the image at path")


# Not graded: explain, in your own words, the layout of the MNIST_SAMPLE folder tree and
# the reasons behind it.
EXPLAIN = """
"""
