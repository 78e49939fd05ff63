"""class.html: a class summary as one self-contained page (inline CSS, charts as PNG data URIs)."""
from __future__ import annotations

import datetime

from .class_summary import ClassSummary
from .figures import data_uri
from .templating import render


def class_page(summary: ClassSummary) -> str:
    """The page: score histogram, pass rate per question, hardest questions, common failures."""
    charts = {}
    if summary.scores:
        charts = {"histogram": data_uri(_histogram(summary), dpi=96), "pass_rates": data_uri(_pass_rates(summary), dpi=96)}
    return render("class.html.j2", summary=summary, charts=charts,
                  generated=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))


def _histogram(summary: ClassSummary):
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(7, 3))
    axes = figure.subplots()
    top = max(summary.max_score, 1)
    axes.hist(list(summary.scores.values()), bins=min(top, 20), range=(0, top), color="#4c72b0", edgecolor="white")
    axes.set(xlabel=f"score (out of {summary.max_score})", ylabel="submissions", xlim=(0, top))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def _pass_rates(summary: ClassSummary):
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    questions = summary.questions
    figure = Figure(figsize=(7, 0.6 + 0.24 * len(questions)))
    axes = figure.subplots()
    rates = [q.pass_rate for q in questions]
    positions = range(len(questions))
    axes.barh(positions, rates, color=[colormaps["RdYlGn"](0.1 + 0.8 * r) for r in rates])
    axes.set_yticks(positions, [q.id for q in questions])
    axes.margins(y=0.01)
    axes.invert_yaxis()  # q01 at the top
    axes.set(xlim=(0, 1), xlabel="share of submissions that pass")
    axes.xaxis.set_major_formatter("{x:.0%}")
    axes.spines[["top", "right"]].set_visible(False)
    return figure
