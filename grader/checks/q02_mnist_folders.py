"""Checks for question 2: count the PNGs of each split/label folder, read a label from a path."""
import tempfile
from pathlib import Path, PurePosixPath

from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, Question

QUESTION = Question(
    title="How the MNIST_SAMPLE files are laid out, and why",
    source=2,
    hints=[
        "The label is not in the file: it is the name of the folder the file sits in, and that folder "
        "sits inside its split's folder. `pathlib.Path` has `.parent`, `.name` and `.glob`.",
        "`Path(root).glob('*/*/*.png')` finds every image; for one of them, `png.parent.name` is its "
        "label and `png.parent.parent.name` its split. Count them in a dict.",
    ],
)


SPLITS = ["train", "valid", "test"]
LABELS = [str(d) for d in range(10)] + ["cat", "dog"]
OTHER_FILES = ["notes.txt", "Thumbs.db", "labels.csv", "scan.jpg", "image.png.bak"]

# A tree: {(split, label): (number of PNG files, number of other files)}.
TREES = st.dictionaries(
    st.tuples(st.sampled_from(SPLITS), st.sampled_from(LABELS)),
    st.tuples(st.integers(0, 6), st.integers(0, 2)),
    max_size=6,
)


def _build(root: Path, tree: dict) -> None:
    root.chmod(0o755)  # the student's code may run as another, unprivileged user: let it read the tree
    (root / "labels.csv").write_text("name,label\n")
    for (split, label), (pngs, others) in tree.items():
        folder = root / split / label
        folder.mkdir(parents=True, mode=0o755)
        for i in range(pngs):
            (folder / f"{1000 + 37 * i}.png").write_bytes(b"\x89PNG")
        for name in OTHER_FILES[:others]:
            (folder / name).write_bytes(b"")


def _describe(tree: dict) -> str:
    folders = [f"{split}/{label}: {p} png + {o} other file(s)" for (split, label), (p, o) in sorted(tree.items())]
    return "; ".join(folders) or "no split folders, only labels.csv"


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(TREES)
def test_counts_the_png_files_of_each_split_and_label(student, tree):
    count_images = student.function("count_images")
    with tempfile.TemporaryDirectory(dir=student.shared_folder()) as tmp:
        _build(Path(tmp), tree)
        got = count_images(Path(tmp))
    expected = {key: pngs for key, (pngs, _) in tree.items() if pngs}
    where = f"count_images on a tree with {_describe(tree)}"
    assert isinstance(got, dict), f"{where} should return a dict, got {getattr(got, 'type_name', type(got).__name__)}"
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
    text = str(PurePosixPath("/", *prefix, split, label, f"{number}.png"))
    got = student.function("label_of")(Path(text) if as_path else text)
    shown = f"label_of({'Path(' if as_path else ''}{text!r}{')' if as_path else ''})"
    assert isinstance(got, (str, int)) and not isinstance(got, bool), \
        f"{shown} should return the label as a string, got {getattr(got, 'type_name', type(got).__name__)}"
    assert str(got) == label, (
        f"{shown} returned {got!r}, expected {label!r}: the label is the name of the folder holding the image"
    )
