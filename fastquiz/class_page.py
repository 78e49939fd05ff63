"""The class at a glance: class.html, one self-contained page (inline CSS, charts as SVG data
URIs drawn here: two plain charts are not worth a plotting library in the grading run's process),
and the same tables as CSV files for a spreadsheet."""
from __future__ import annotations

import base64
import datetime
from pathlib import Path

from .batch import Batch
from .class_summary import MISTAKES_PER_QUESTION, ClassSummary, summarize
from .escaping import readable
from .exports import csv_text
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
    their hints and the commonest diagnosed mistakes, r2's leaderboard, and similar answers side by side."""
    charts = {}
    if summary.scores:
        charts = {"histogram": _svg_uri(_histogram(summary)), "pass_rates": _svg_uri(_pass_rates(summary))}
    pairs = [(pair, _side_by_side(summary, pair)) for pair in summary.similar[:SHOWN_PAIRS]]
    return render("class.html.j2", summary=summary, charts=charts, pairs=pairs, readable=readable,
                  mistakes_per_question=MISTAKES_PER_QUESTION, generated=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))


def _side_by_side(summary: ClassSummary, pair: SimilarPair) -> list[list[tuple[str, bool]]]:
    """Each answer's lines, each with whether it holds a matching fingerprint."""
    return [[(text, number in marked) for number, text in enumerate(summary.answers[name][pair.question].splitlines(), 1)]
            for name, marked in ((pair.a, pair.lines_a), (pair.b, pair.lines_b))]


def _line_list(lines: frozenset[int]) -> str:
    return " ".join(str(n) for n in sorted(lines))


WIDTH, LEFT, BOTTOM, TOP = 640, 48, 40, 12  # pixels: the charts' width, and the margins for their axes
FONT = 'font-family="sans-serif" font-size="12" fill="#333"'


def _histogram(summary: ClassSummary) -> str:
    """The submissions' total scores in at most 20 bins from 0 to the maximum."""
    top = max(summary.max_score, 1)
    bins = min(top, 20)
    counts = [0] * bins
    for score in summary.scores.values():
        counts[min(int(score / top * bins), bins - 1)] += 1
    height, most = 240, max(counts)
    plot_w, plot_h = WIDTH - LEFT - 10, height - TOP - BOTTOM
    bar = plot_w / bins
    parts = [f'<rect x="{LEFT + i * bar + 1:.1f}" y="{TOP + plot_h * (1 - c / most):.1f}" width="{bar - 2:.1f}" '
             f'height="{plot_h * c / most:.1f}" fill="#4c72b0"><title>{c}</title></rect>' for i, c in enumerate(counts) if c]
    parts += [f'<text x="{LEFT - 6}" y="{TOP + plot_h * (1 - n / most) + 4:.1f}" text-anchor="end" {FONT}>{n}</text>'
              for n in _ticks(most)]
    parts += [f'<text x="{LEFT + plot_w * v / top:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" {FONT}>{v}</text>'
              for v in _ticks(top)]
    parts.append(f'<text x="{LEFT + plot_w / 2}" y="{height - 6}" text-anchor="middle" {FONT}>score (out of '
                 f'{summary.max_score})</text>')
    parts.append(f'<text x="12" y="{TOP + plot_h / 2}" text-anchor="middle" transform="rotate(-90 12 {TOP + plot_h / 2})" '
                 f'{FONT}>submissions</text>')
    return _svg(height, [_axes(plot_w, plot_h), *parts])


def _pass_rates(summary: ClassSummary) -> str:
    """A bar per question, its share of passing submissions, red to green."""
    questions = summary.questions
    row, plot_w = 18, WIDTH - LEFT - 10
    plot_h = row * len(questions)
    height = TOP + plot_h + BOTTOM
    parts = []
    for i, question in enumerate(questions):
        y = TOP + i * row
        parts.append(f'<rect x="{LEFT}" y="{y + 2}" width="{plot_w * question.pass_rate:.1f}" height="{row - 4}" '
                     f'fill="{_red_to_green(question.pass_rate)}"><title>{question.pass_rate:.0%}</title></rect>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + row - 5}" text-anchor="end" {FONT}>{question.id}</text>')
    parts += [f'<text x="{LEFT + plot_w * share:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" {FONT}>{share:.0%}</text>'
              for share in (0, 0.25, 0.5, 0.75, 1)]
    parts.append(f'<text x="{LEFT + plot_w / 2}" y="{height - 6}" text-anchor="middle" {FONT}>share of submissions that '
                 'pass</text>')
    return _svg(height, [_axes(plot_w, plot_h), *parts])


def _axes(width: float, height: float) -> str:
    return (f'<path d="M{LEFT} {TOP} V{TOP + height} H{LEFT + width}" stroke="#333" fill="none" '
            'stroke-width="1"/>')


def _ticks(top: int) -> list[int]:
    """Up to six whole numbers from 0 to `top`, evenly spaced."""
    step = max(1, -(-top // 5))
    return list(range(0, top + 1, step))


def _red_to_green(share: float) -> str:
    """A colour from red (no submission passes) through yellow to green (all pass)."""
    red, green = (1.0, 2 * share) if share < 0.5 else (2 * (1 - share), 1.0)
    return f"rgb({int(215 * red)},{int(180 * green)},60)"


def _svg(height: float, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
            f'viewBox="0 0 {WIDTH} {height:.0f}">{"".join(parts)}</svg>')


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
