"""Checks for question 2: count the PNGs of each split/label folder, read a label from a path."""
import hashlib
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from hypothesis import example, given, strategies as st

from ..question import BEHAVIOUR, Question
from ._helpers import kind

QUESTION = Question(
    title="How the MNIST_SAMPLE files are laid out, and why",
    source=2,
    hints=[
        "count_images and label_of: the label is not in the file, it is the name of the folder the file sits "
        "in, and that folder sits inside its split's folder. `pathlib.Path` has `.parent`, `.name` and `.glob`.",
        "count_images: `Path(root).glob('*/*/*.png')` finds exactly the images two folders down; for one of them, "
        "`png.parent.name` is its label and `png.parent.parent.name` its split. Count them in a dict. label_of "
        "is `Path(path).parent.name`.",
    ],
)


SPLITS = ["train", "valid", "test"]
LABELS = [str(d) for d in range(10)] + ["cat", "dog"]
OTHER_FILES = ["notes.txt", "Thumbs.db", "labels.csv", "scan.jpg", "image.png.bak"]

# A tree: {(split, label): (number of PNG files, number of other files)}, and whether a stray PNG sits
# at the top of the tree, outside every label folder.
TREES = st.tuples(st.dictionaries(
    st.tuples(st.sampled_from(SPLITS), st.sampled_from(LABELS)),
    st.tuples(st.integers(0, 6), st.integers(0, 2)),
    max_size=6,
), st.booleans())


KEPT_TREES = 64  # trees kept in a task's shared folder: every answer it grades is given the same examples


@contextmanager
def _tree_in(folder: Path, tree: dict, stray: bool) -> Iterator[Path]:
    """A folder holding the example's tree, in `folder` (which answers may read and not change). A
    task hands every answer the same examples (replayed), so the first KEPT_TREES trees are built
    once and kept for the next answers; any other (a failing example that hypothesis shrinks) is
    built for its call and removed after it."""
    root = folder / f"tree-{hashlib.sha256(repr((sorted(tree.items()), stray)).encode()).hexdigest()[:16]}"
    if not root.is_dir():
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=folder))
        try:
            _build(building, tree, stray)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        if sum(1 for _ in folder.glob("tree-*")) >= KEPT_TREES:
            try:
                yield building
            finally:
                shutil.rmtree(building, ignore_errors=True)
            return
        building.rename(root)  # whole, or not there at all
    yield root


def _build(root: Path, tree: dict, stray: bool) -> None:
    root.chmod(0o755)  # the student's code may run as another, unprivileged user: let it read the tree
    (root / "labels.csv").write_text("name,label\n")
    if stray:
        (root / "preview.png").write_bytes(b"\x89PNG")
    for (split, label), (pngs, others) in tree.items():
        folder = root / split / label
        folder.mkdir(parents=True, mode=0o755)
        for i in range(pngs):
            (folder / f"{1000 + 37 * i}.png").write_bytes(b"\x89PNG")
        for name in OTHER_FILES[:others]:
            (folder / name).write_bytes(b"")


def _describe(tree: dict, stray: bool) -> str:
    folders = [f"{split}/{label}: {p} png + {o} other file(s)" for (split, label), (p, o) in sorted(tree.items())]
    top = "labels.csv and preview.png at the top" if stray else "labels.csv at the top"
    return "; ".join([*folders, top])


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(TREES)
@example(({("train", "3"): (2, 1)}, True))  # a PNG outside the label folders is no image of a split and label
def test_counts_the_png_files_of_each_split_and_label(student, drawn):
    """Graded: "your counts on random folder trees (other files, other labels, empty folders, a stray PNG
    outside the label folders)". Rules: "for every folder `root/<split>/<label>/` that holds PNG files",
    "Ignore any file that does not end in `.png`", "a folder with no PNG in it may be left out or given 0",
    "as a dict keyed by `(split, label)`, both strings"."""
    tree, stray = drawn
    count_images = student.function("count_images")
    with _tree_in(student.shared_folder(), tree, stray) as root:
        got = count_images(root)
    expected = {key: pngs for key, (pngs, _) in tree.items() if pngs}
    where = f"count_images on a tree with {_describe(tree, stray)}"
    assert isinstance(got, dict), f"{where} should return a dict, got {kind(got)}"
    got = {key: value for key, value in got.items() if value != 0}
    for key in got:
        assert isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key), (
            f"{where} returned the key {key!r}: each key should be a (split, label) tuple of two strings"
        )
    assert got == expected, f"{where} returned {got}, expected {expected}"


PATH_PARTS = st.lists(st.sampled_from(["data", "home", "me", "MNIST_SAMPLE", "mnist", "7", "3", "train"]),
                      max_size=3)


@QUESTION.part(points=1, kind=BEHAVIOUR)
@given(PATH_PARTS, st.sampled_from(SPLITS), st.sampled_from(LABELS), st.integers(0, 99999), st.booleans())
def test_reads_the_label_from_the_folder_name(student, prefix, split, label, number, as_path):
    """Graded: "the labels you read from many paths". Rules: "the label of one image, read from where it is
    stored (a string)", "`path` may be a `str` or a `pathlib.Path`"."""
    text = str(PurePosixPath("/", *prefix, split, label, f"{number}.png"))
    got = student.function("label_of")(Path(text) if as_path else text)
    shown = f"label_of({'Path(' if as_path else ''}{text!r}{')' if as_path else ''})"
    assert isinstance(got, str), f"{shown} should return the label as a string, got {kind(got)} {got!r}"
    assert got == label, (
        f"{shown} returned {got!r}, expected {label!r}: the label is the name of the folder holding the image"
    )
