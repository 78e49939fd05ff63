"""`fastquiz report`'s page: one self-contained HTML file with the score, what to fix, plots
of the student's own code and their EXPLAIN answers beside the model answers.

Grading reuses the workspace's cached results where a file is unchanged (as `fastquiz
list` does), and where a question judged on data was judged on the data in use now;
student code runs only in grader workers (`student_plots`); EXPLAIN texts are read from
syntax trees. A model answer's explanation is shown once the student's answer passes, as
`fastquiz solution` shows the model answer (a students' build has none, and the page says
so); hints that gave part of an answer away before
an attempt needed them are listed. Every image is an embedded PNG, and the page's
Content-Security-Policy forbids loading anything else, so it opens offline as it is.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..grader.question import Question, load_questions, module_names
from ..grader.results import ERROR, FAILED, MEMORY, NOT_STARTED, PASSED, TIMEOUT, QuestionResult
from ..templating import render
from ..workspace import NO_MODEL_ANSWERS, cached_results, hints_opened_early, judged_on, model_answer, solutions_dir
from .explanations import read_explain
from .student_plots import draw_student_plots

STATUS_ORDER = (PASSED, FAILED, ERROR, TIMEOUT, MEMORY, NOT_STARTED)


@dataclass(frozen=True)
class _Row:
    id: str
    title: str
    citation: str
    status: str
    score: int
    max_score: int
    message: str
    diagnosis: str  # the known mistake its failure looks like ("This looks like ..."), or ""
    hint: str
    judged_on: str  # for a question judged on data: which data, in words; else ""
    measured: str  # what its checks measured of the student's code (see `commands.check.measured`), or ""


@dataclass(frozen=True)
class _Explanation:
    id: str
    title: str
    yours: str
    problem: str  # why the student's text could not be read, or ""
    model: str  # "" until the student's answer passes


def build_report(workspace: Path) -> str:
    """The report of a workspace as an HTML page; grades the files that changed since their last grading."""
    workspace = Path(workspace)
    data = judged_on(module_names())
    results = _results(workspace, data)
    questions = load_questions()
    rows = [_row(q, results[q.module], data.get(q.module, "")) for q in questions]
    opened = hints_opened_early(workspace)
    score, max_score = sum(r.score for r in rows), sum(r.max_score for r in rows)
    counts = {status: n for status in STATUS_ORDER if (n := sum(r.status == status for r in rows))}
    return render(
        "report.html.j2",
        version=__version__,
        generated=time.strftime("%Y-%m-%d %H:%M"),
        workspace=str(workspace.resolve()),
        score=score,
        max_score=max_score,
        percent=round(100 * score / max_score) if max_score else 0,
        counts=counts,
        rows=rows,
        to_fix=[r for r in rows if r.status not in (PASSED, NOT_STARTED)],
        plots=draw_student_plots(workspace, {r.id: r.status for r in rows},
                                 {q.id: {n: v for p in results[q.module].parts for n, v in p.metrics.items()}
                                  for q in questions}),
        explanations=[_explanation(workspace, q, results[q.module].status == PASSED) for q in questions],
        early_hints=[f"{q.id} (hint {opened[q.module]})" for q in questions if q.module in opened],
        no_model_answers="" if solutions_dir() is not None else NO_MODEL_ANSWERS,
    )


def _results(workspace: Path, data: dict[str, str]) -> dict[str, QuestionResult]:
    """Each question's result by module name: cached where its file is unchanged (and, for a question judged
    on data, it was judged on `data`), else graded now."""
    from ..commands.check import grade_and_remember

    results = cached_results(workspace, data)
    stale = [module for module in module_names() if module not in results]
    if stale:
        results.update(zip(stale, grade_and_remember(workspace, stale).questions))
    return results


def _row(question: Question, result: QuestionResult, data: str) -> _Row:
    from ..commands.check import measured

    return _Row(question.id, question.title, question.citation, result.status, result.score, result.max_score,
                result.message, result.diagnosis or "", question.hints[0], data, measured(result))


def _explanation(workspace: Path, question: Question, passed: bool) -> _Explanation:
    model_file = model_answer(question.module)
    model = read_explain(model_file) if passed and model_file is not None else ""
    try:
        return _Explanation(question.id, question.title, read_explain(workspace / f"{question.module}.py"), "", model)
    except SyntaxError as error:
        problem = f"{question.module}.py has a syntax error (line {error.lineno}), so its EXPLAIN can't be read"
    except (OSError, UnicodeDecodeError, ValueError) as error:
        problem = f"{question.module}.py can't be read ({type(error).__name__})"
    return _Explanation(question.id, question.title, "", problem, model)

