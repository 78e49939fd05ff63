"""What a notebook shows: a question's result, its hints, the report; as HTML in Jupyter and
Colab, as text in a terminal IPython.

Each is an object with `_repr_mimebundle_`: the front end picks the richest form it knows.
A result also carries RESULT_MIME, plain JSON that front ends ignore, for tools and tests.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

from ..grader.results import ERROR, FAILED, MEMORY, NOT_STARTED, PASSED, TIMEOUT, QuestionResult

RESULT_MIME = "application/vnd.fastquiz.result+json"
COLOURS: dict[str, str] = {PASSED: "#1a7f37", FAILED: "#cf222e", ERROR: "#cf222e", TIMEOUT: "#9a6700", MEMORY: "#9a6700",
           NOT_STARTED: "#57606a"}
MARKS: dict[str, str] = {PASSED: "✓", NOT_STARTED: "·"}  # any other status: ✗
REPORT_HEIGHT = 720  # pixels of the report's frame in a notebook
_BOX = "border-left:4px solid {colour};padding:4px 12px;margin:4px 0;font-family:system-ui,sans-serif;line-height:1.45"


def hint_call(question_id: str, level: int = 1) -> str:
    """The Python call that shows a hint."""
    return f'fastquiz.hint("{question_id}"' + (f", level={level})" if level > 1 else ")")


@dataclass
class CheckResult:
    """One question's result, as a cell shows it. `where` rewrites a message's `file:line` into the
    cell's own line."""

    result: QuestionResult
    hints: list[str] = field(default_factory=list)
    plots: list[dict] = field(default_factory=list)  # {"title", "image"}: PNG data URIs
    notes: list[str] = field(default_factory=list)
    where: Callable[[str], str] = str

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def score(self) -> int:
        return self.result.score

    @property
    def max_score(self) -> int:
        return self.result.max_score

    @property
    def message(self) -> str:
        return self.where(self.result.message)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.text(), "text/html": self.html(), RESULT_MIME: self.data()}

    def data(self) -> dict:
        return {"id": self.result.id, "status": self.status, "score": self.score, "max_score": self.max_score,
                "message": self.message, "diagnosis": self.result.diagnosis, "notes": self.notes, "plots": len(self.plots)}

    def text(self) -> str:
        q = self.result
        lines = [*self.notes, f"{q.id} {q.title}: {q.status.replace('_', ' ')}, {q.score}/{q.max_score} points"]
        for part in q.parts:
            message = f"  {self.where(part.message)}" if part.message and part.status != PASSED else ""
            message += f" {part.diagnosis}" if part.diagnosis and part.status != PASSED else ""
            lines.append(f"  {MARKS.get(part.status, '✗')} {_part_name(part.name):<48} "
                         f"{part.score}/{part.max_score}{message}")
        if self._stuck():
            lines.append(f"Stuck? {hint_call(q.id)}")
        return "\n".join(lines)

    def html(self) -> str:
        q = self.result
        colour = COLOURS[q.status]
        rows = "".join(
            f"<tr><td style='color:{COLOURS[p.status]};padding-right:6px'>{MARKS.get(p.status, '✗')}</td>"
            f"<td style='padding-right:12px'>{html.escape(_part_name(p.name))}</td>"
            f"<td style='padding-right:12px'>{p.score}/{p.max_score}</td>"
            f"<td>{html.escape(self.where(p.message)) if p.status != PASSED and p.message != q.message else ''}"
            "</td></tr>" for p in q.parts)
        notes = "".join(f"<div style='color:#57606a'>{html.escape(n)}</div>" for n in self.notes)
        message = f"<div style='margin:4px 0'>{html.escape(self.message)}</div>" if self.message else ""
        if q.diagnosis:
            message += f"<div style='margin:4px 0;font-style:italic'>{html.escape(q.diagnosis)}</div>"
        plots = "".join(f"<figure style='display:inline-block;margin:4px 12px 4px 0'><img src='{p['image']}' "
                        f"style='max-width:420px' alt='{html.escape(p['title'])}'><figcaption>"
                        f"{html.escape(p['title'])}</figcaption></figure>" for p in self.plots)
        return (f"<div class='fastquiz-result' style='{_BOX.format(colour=colour)}'>{notes}"
                f"<div><strong>{q.id} · {html.escape(q.title)}</strong> "
                f"<span style='background:{colour};color:#fff;border-radius:3px;padding:0 6px'>"
                f"{q.status.replace('_', ' ')}</span> <strong>{q.score}/{q.max_score}</strong> points</div>"
                f"{message}<table style='border-collapse:collapse;font-size:90%'>{rows}</table>"
                f"{_hint_html(q.id, self.hints) if self._stuck() else ''}{plots}</div>")

    def _stuck(self) -> bool:
        return self.status not in (PASSED, NOT_STARTED)


@dataclass
class Hints:
    """A question's hints up to a level, and how to see the next one."""

    question_id: str
    title: str
    hints: list[str]
    level: int

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.text(), "text/html": self.html()}

    def _shown(self) -> list[str]:
        return self.hints[:min(self.level, len(self.hints))]

    def _more(self) -> str:
        return f"More: {hint_call(self.question_id, self.level + 1)}" if self.level < len(self.hints) else ""

    def text(self) -> str:
        lines = [f"{self.question_id} hint {n}/{len(self.hints)}: {text}" for n, text in enumerate(self._shown(), 1)]
        return "\n".join(filter(None, [*lines, self._more()]))

    def html(self) -> str:
        items = "".join(f"<li>{_inline(text)}</li>" for text in self._shown())
        more = f"<div style='color:#57606a'>{html.escape(self._more())}</div>" if self._more() else ""
        return (f"<div style='{_BOX.format(colour='#0969da')}'><strong>{self.question_id} · "
                f"{html.escape(self.title)}: hints</strong><ol style='margin:4px 0'>{items}</ol>{more}</div>")


@dataclass
class Report:
    """The workspace's report page, in a frame of its own (its styles stay out of the notebook)."""

    page: str
    results: list[QuestionResult]

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/plain": self.text(), "text/html": self.html()}

    def text(self) -> str:
        lines = [f"{q.id:<4} {q.title:<44.44} {q.status:<11} {q.score:>2}/{q.max_score}" for q in self.results]
        score, total = sum(q.score for q in self.results), sum(q.max_score for q in self.results)
        return "\n".join([*lines, f"score: {score}/{total}"])

    def html(self) -> str:
        return (f"<iframe srcdoc=\"{html.escape(self.page, quote=True)}\" title='fastquiz report' "
                f"style='width:100%;height:{REPORT_HEIGHT}px;border:1px solid #d0d7de'></iframe>")


def _hint_html(question_id: str, hints: list[str]) -> str:
    """Each hint level behind a button of its own, the next inside the one before."""
    inner = ""
    for level in range(len(hints), 0, -1):
        inner = (f"<details style='margin:4px 0 0 {0 if level == 1 else 12}px'><summary style='cursor:pointer;"
                 f"color:#0969da'>Hint {level} of {len(hints)}</summary>"
                 f"<div style='margin:2px 0 0 12px'>{_inline(hints[level - 1])}</div>{inner}</details>")
    return inner or f"<div>{html.escape(hint_call(question_id))}</div>"


def _part_name(name: str) -> str:
    """A check's function name as words: test_keeps_negative_odds -> keeps negative odds."""
    return name.removeprefix("test_").replace("_", " ")


def _inline(text: str) -> str:
    """Plain text with `code` in backquotes, as HTML."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))
