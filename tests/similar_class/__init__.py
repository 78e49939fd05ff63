"""A crafted class for the similar-answers report: answers to q24, r1 and r2 written
independently in different styles (ana, ben, chen, dev, eve), copies of some of them disguised
with renamed variables, reordered statements and new comments (frank, gina, hugo, ivan), and two
students who hand in the model answers (jay, kim). `COPIES` are the pairs that must be found;
every other pair must not be."""
from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
MODULES = ("q24_dataloader", "r1_learner_from_scratch", "r2_all_ten_digits")


def original(student: str, module: str) -> str:
    return (HERE / student / f"{module}.py").read_text()


def disguise(source: str, renames: dict[str, str], moves: list[tuple[str, str]], comment: str) -> str:
    """`source` with each name in `renames` replaced, each line starting with the first text of a
    pair in `moves` moved to just after the line starting with the second (at its indentation), and a comment added
    after every function's first line: what a student does to hide a copy."""
    lines = source.splitlines()
    for line, after in moves:
        moving = next(i for i, text in enumerate(lines) if text.strip().startswith(line))
        text = lines.pop(moving).strip()
        target = next(i for i, t in enumerate(lines) if t.strip().startswith(after))
        indent = len(lines[target]) - len(lines[target].lstrip()) + (4 if lines[target].endswith(":") else 0)
        lines.insert(target + 1, " " * indent + text)
    for old, new in renames.items():
        lines = [re.sub(rf"(?<![.\w]){re.escape(old)}\b", new, text) for text in lines]  # not `.data`
    out = []
    for text in lines:
        out.append(text.replace("    ", "  ") if text.startswith("    ") else text)  # two-space indents
        if text.lstrip().startswith("def "):
            out.append(" " * (len(text) - len(text.lstrip()) + 2) + f"# {comment}")
    return "\n".join(out) + "\n"


COPY_RECIPES = {
    ("frank", "r2_all_ten_digits"): ("ana", {"inputs": "x_all", "net": "model", "optimiser": "opt", "perm": "order",
                                             "batch": "b", "m": "top", "shifted": "z", "log_sum": "lse",
                                             "picked": "chosen", "flat": "codes"},
                                     [("torch.manual_seed(1)", "inputs ="), ("optimiser.zero_grad()", "optimiser.step()")],
                                     "my own approach"),
    ("gina", "r2_all_ten_digits"): ("chen", {"ds": "dataset", "loader": "batches", "opt": "adam", "cm": "counts",
                                            "shifted": "centred", "log_norm": "lognorm"},
                                    [("model = nn.Sequential", "torch.manual_seed(7)"), ("opt.zero_grad()", "opt.step()")],
                                    "trains the network"),
    ("hugo", "r2_all_ten_digits"): ("ben", {"Net": "DigitNet", "hidden": "layer1", "out": "layer2", "lse": "norm",
                                           "correct": "right", "g": "rng", "data": "flat", "step": "lr", "sel": "chunk",
                                           "w": "param", "result": "table"},
                                    [("epochs = 5", "step = 0.1"), ("model = Net()", "n = data.size(0)")],
                                    "see lecture 4"),
    ("ivan", "r2_all_ten_digits"): ("ben", {"Net": "Model", "data": "pixels", "idx": "shuffled", "start": "pos",
                                           "loss": "err", "t": "row", "p": "col"},
                                    [("n = data.size(0)", "epochs = 5")],
                                    "TODO tidy"),
    ("frank", "q24_dataloader"): ("chen", {"n": "count", "gen": "rng", "perm": "shuffled", "lo": "first",
                                          "hi": "last", "batches": "result"},
                                  [("batches = []", "n = x.shape[0]")],
                                  "split into batches"),
    ("gina", "q24_dataloader"): ("ana", {"idx": "positions", "g": "rng", "out": "pairs", "i": "k", "chunk": "part"},
                                 [("out = []", "idx = list(range(len(x)))")],
                                 "batches of indices"),
    ("hugo", "r1_learner_from_scratch"): ("chen", {"epoch_losses": "losses", "running": "acc", "seen": "n_items",
                                                   "batch_x": "inputs", "batch_y": "labels", "prediction": "out"},
                                          [("self.history = []", "self.dls = dls"), ("self.opt = optimizer", "self.model.train()")],
                                          "the fit loop"),
    ("ivan", "r1_learner_from_scratch"): ("dev", {"one_epoch": "train_pass", "evaluate": "valid_pass",
                                                  "record": "row", "xb": "x", "yb": "y", "totals": "sums"},
                                          [("self.history = []", "self.dls, self.model = dls, model")],
                                          "from the notes"),
}

# (pair, module) for each copy: a copier with the one copied, and two who copied the same answer.
COPIED = {(frozenset((student, source)), module) for (student, module), (source, *_) in COPY_RECIPES.items()} | \
    {(frozenset(("hugo", "ivan")), "r2_all_ten_digits")}


def crafted_class(model_answers: dict[str, str]) -> dict[str, dict[str, str]]:
    """submission -> module -> code, for every student of the class."""
    students = ("ana", "ben", "chen", "dev", "eve", "frank", "gina", "hugo", "ivan")
    answers = {s: {} for s in students}
    for student in students:
        for module in MODULES:
            if (HERE / student / f"{module}.py").is_file():
                answers[student][module] = original(student, module)
    for (student, module), (source, renames, moves, comment) in COPY_RECIPES.items():
        answers[student][module] = disguise(original(source, module), renames, moves, comment)
    for student in ("jay", "kim"):
        answers[student] = dict(model_answers)
    return answers
