"""Question 2: how the MNIST_SAMPLE files are laid out, and why (fastbook ch. 4, question 2).

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

Part 3. Why does the dataset keep a separate `valid` split? Set `WHY_VALID` to one letter:

    a) It is a reserve of training images, to add to `train` once the model needs more data.
    b) Its images have no known label: they are the new digits the finished model is used on.
    c) To measure the model on labelled images it never trained on, which tells us whether
       it learned to recognise digits in general or only memorised its training images.
    d) Splitting the images over more folders makes them faster to read from disk.
"""
from pathlib import Path


def count_images(root: Path) -> dict[tuple[str, str], int]:
    raise NotImplementedError("count the PNG files of each split/label folder")


def label_of(path: str | Path) -> str:
    raise NotImplementedError("return the label of the image at path")


WHY_VALID = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, the layout of the MNIST_SAMPLE folder tree and
# the reasons behind it.
EXPLAIN = """
"""
