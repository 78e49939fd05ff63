"""The class at a glance: class.html, one self-contained page (inline CSS, charts as PNG data
URIs), and the same tables as CSV files for a spreadsheet."""
from __future__ import annotations

import datetime
from pathlib import Path

from .batch import Batch
from .class_summary import ClassSummary, summarize
from .escaping import readable
from .exports import csv_text
from .figures import data_uri
from .files import write_atomic
from .similarity import SimilarPair
from .templating import render

SHOWN_PAIRS = 30  # side by side in the page; similar_answers.csv lists them all


CLASS_PAGE_FILES = ("class.html", "similar_answers.csv", "leaderboard.csv", "failures.csv")


def write_class_files(batch: Batch, out_dir: Path) -> None:
    """CLASS_PAGE_FILES in `out_dir`."""
    summary = summarize(batch.rows, answers=batch.answers)
    for name, text in {"class.html": class_page(summary), **class_tables(summary)}.items():
        write_atomic(out_dir / name, text)


def class_tables(summary: ClassSummary) -> dict[str, str]:
    """The page's tables as CSV files, by file name."""
    return {
        "similar_answers.csv": csv_text(
            ["question", "submission", "other submission", "similarity", "shared fingerprints", "lines", "other lines"],
            [[p.question, p.a, p.b, round(p.similarity, 3), p.shared, _line_list(p.lines_a), _line_list(p.lines_b)]
             for p in summary.similar]),
        "leaderboard.csv": csv_text(
            ["submission", "r2 held-out accuracy", "r2 training seconds"],
            [[row.submission, round(row.accuracy, 4), round(row.seconds, 2)] for row in summary.leaderboard]),
        "failures.csv": csv_text(
            ["question", "submissions", "message", "who", "first hint"],
            [[g.question, g.count, g.message, " ".join(g.submissions), summary.hints.get(g.question, [""])[0]]
             for g in summary.failures]),
    }


def class_page(summary: ClassSummary) -> str:
    """The page: score histogram, pass rate per question, hardest questions, common failures with
    their hints, r2's leaderboard, and similar answers side by side."""
    charts = {}
    if summary.scores:
        charts = {"histogram": data_uri(_histogram(summary), dpi=96), "pass_rates": data_uri(_pass_rates(summary), dpi=96)}
    pairs = [(pair, _side_by_side(summary, pair)) for pair in summary.similar[:SHOWN_PAIRS]]
    return render("class.html.j2", summary=summary, charts=charts, pairs=pairs, readable=readable,
                  generated=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))


def _side_by_side(summary: ClassSummary, pair: SimilarPair) -> list[list[tuple[str, bool]]]:
    """Each answer's lines, each with whether it holds a matching fingerprint."""
    return [[(text, number in marked) for number, text in enumerate(summary.answers[name][pair.question].splitlines(), 1)]
            for name, marked in ((pair.a, pair.lines_a), (pair.b, pair.lines_b))]


def _line_list(lines: frozenset[int]) -> str:
    return " ".join(str(n) for n in sorted(lines))


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
