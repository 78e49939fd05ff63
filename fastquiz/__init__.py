"""fastquiz: graded exercises for chapter 4 of fastbook, "Under the Hood: Training a Digit Classifier".

In a notebook (Jupyter, Colab), after `import fastquiz` and `%load_ext fastquiz`:

    %%fastquiz q04            a cell that saves its code as q04's answer and checks it
    fastquiz.check("q04")     check q04's answer file as it is
    fastquiz.hint("q04")      a hint; fastquiz.hint("q04", level=2) says more
    fastquiz.show_report()    the report, in the notebook
    fastquiz.use("folder")    where answers are saved (default: the workspace around the notebook)

Importing fastquiz loads neither torch nor the grader: a notebook's checks run in a helper
process of its kernel's (see `fastquiz.jupyter`).
"""
from __future__ import annotations

__version__ = "0.1.0"


def check(question: str):
    """Check the workspace's answer to `question` (q04, r1); the result shows in the notebook."""
    from .jupyter.kernel import session

    return session().check(question)


def hint(question: str, level: int = 1):
    """`question`'s hints up to `level` (1: a nudge; higher levels say more)."""
    from .jupyter.kernel import session

    return session().hint(question, level)


def show_report():
    """The workspace's report (score, what to fix, plots of your code), shown in the notebook."""
    from .jupyter.kernel import session

    return session().report()


def use(folder):
    """Save and check answers in `folder` from now on (a workspace, or a new one made there)."""
    from .jupyter.kernel import session

    return session().use(folder)


def load_ipython_extension(ipython) -> None:
    """`%load_ext fastquiz`: the `%%fastquiz` cell magic."""
    from .jupyter.kernel import load

    load(ipython)
