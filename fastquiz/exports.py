"""Grading results in the formats that autograding platforms, CI tools and spreadsheets read.

Everything a student controls (submission names, messages) is made safe for the format it
reaches (see `escaping.py`): Gradescope is told to show text as text, XML gets no control
characters, spreadsheets no formulas, Markdown no markup.
"""
from __future__ import annotations

import csv
import datetime
import io
import json
import socket
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from .escaping import csv_cell, markdown_cell, plain_text, readable, xml_text
from .grader.results import ERROR, FAILED, MEMORY, NOT_STARTED, PASSED, TIMEOUT, GradeReport, QuestionResult

# What r2's training part measures (see grader/checks/r2_all_ten_digits.py), as Gradescope's
# leaderboard shows it: (metric, column name, sort order).
LEADERBOARD = [("held_out_accuracy", "r2 held-out accuracy", "desc"), ("training_seconds", "r2 training time (s)", "asc")]
_TEXT = {"output_format": "text", "test_output_format": "text", "test_name_format": "text"}


def gradescope_results(report: GradeReport, seconds: float) -> dict:
    """Gradescope's autograder results.json: a test per question, and a second one for its hidden
    checks, if any, which students see only once the grades are published; r2's accuracy and
    training time on the leaderboard; in `extra_data`, what isolated the student's code. Every text
    is shown as plain text, never as HTML."""
    results = {
        "score": report.score,
        "execution_time": round(seconds, 2),
        "output": f"{sum(q.status == PASSED for q in report.questions)} of {len(report.questions)} questions pass",
        **_TEXT,
        "extra_data": {"isolation": report.isolation},
        "tests": [test for q in report.questions for test in _gradescope_tests(q)],
    }
    metrics = report_metrics(report)
    leaderboard = [{"name": name, "value": round(metrics[key], 4), "order": order}
                   for key, name, order in LEADERBOARD if key in metrics]
    if leaderboard:
        results["leaderboard"] = leaderboard
    return results


def report_metrics(report: GradeReport) -> dict[str, float]:
    """Every metric the report's parts measured, by name (e.g. r2's held_out_accuracy)."""
    return {name: value for q in report.questions for p in q.parts for name, value in p.metrics.items()}


def _gradescope_tests(q: QuestionResult) -> list[dict]:
    public = QuestionResult(q.id, q.title, [p for p in q.parts if not p.hidden], q.seconds)
    hidden = QuestionResult(q.id, q.title, [p for p in q.parts if p.hidden], q.seconds)
    tests = [(public, f"{q.id}: {q.title}", "visible")]
    if hidden.parts:
        tests.append((hidden, f"{q.id}: {q.title} (hidden checks)", "after_published"))
    return [
        {"name": plain_text(name), "number": q.id, "score": part.score, "max_score": part.max_score,
         "status": "passed" if part.status == PASSED else "failed", "output": _output(part),
         "output_format": "text", "visibility": visibility, "extra_data": {"diagnosis": part.diagnosis}}
        for part, name, visibility in tests
    ]


def gradescope_problem(name: str, problem: str) -> dict:
    """Gradescope's results.json for a submission that could not be graded, as `fastquiz grade` says it."""
    return {"score": 0, "output": plain_text(f"{name}: not graded: {problem}"), **_TEXT, "tests": []}


def junit_xml(report: GradeReport, suite: str) -> str:
    """A JUnit XML report that Jenkins' xunit (junit-10.xsd) and Ant's schema (JUnit.xsd) accept:
    a test case per part (classname: its question), `<failure>` for a failed check, `<error>`
    for an error or a limit, `<skipped>` for a part not started. A question's parts run in one
    worker, so its time is shared evenly among them."""
    parts = [(q, p) for q in report.questions for p in q.parts]
    counts = {kind: sum(_junit_kind(p.status) == kind for _, p in parts) for kind in ("failure", "error", "skipped")}
    root = ET.Element("testsuite", name=xml_text(suite) or "fastquiz", tests=str(len(parts)),
                      failures=str(counts["failure"]), errors=str(counts["error"]), skipped=str(counts["skipped"]),
                      time=f"{sum(q.seconds for q in report.questions):.3f}",
                      timestamp=datetime.datetime.now().strftime("%Y-%m-%dT%H:%M:%S"),
                      hostname=socket.gethostname() or "localhost")
    properties = ET.SubElement(root, "properties")
    for name, value in (("score", report.score), ("max_score", report.max_score)):
        ET.SubElement(properties, "property", name=name, value=str(value))
    for q in report.questions:
        for part in q.parts:
            case = ET.SubElement(root, "testcase", classname=f"fastquiz.{q.id}", name=part.name,
                                 time=f"{q.seconds / len(q.parts):.3f}")
            kind = _junit_kind(part.status)
            if kind:
                outcome = ET.SubElement(case, kind, message=xml_text(part.message or part.status))
                if kind != "skipped":
                    outcome.set("type", part.status)
                    outcome.text = xml_text(f"{q.id} ({q.title}), {part.name}: {part.status} "
                                            f"{part.score}/{part.max_score}\n{part.message}"
                                            + (f"\n{part.diagnosis}" if part.diagnosis else ""))
    ET.SubElement(root, "system-out").text = f"score: {report.score}/{report.max_score}"
    ET.SubElement(root, "system-err")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _junit_kind(status: str) -> str | None:
    kinds: dict[str, str | None] = {PASSED: None, FAILED: "failure", NOT_STARTED: "skipped", ERROR: "error",
                                    TIMEOUT: "error", MEMORY: "error"}
    return kinds[status]


def gradebook_csv(rows: Sequence[tuple[str, GradeReport | None, str]], question_ids: list[str]) -> str:
    """A row per submission, a column per question, then the total and any problem."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)  # text quoted: no separator splits it
    writer.writerow(["submission", *question_ids, "total", "max", "problem"])
    for name, report, problem in rows:
        cells: list[object]
        if report is None:
            cells = [name, *[""] * len(question_ids), "", "", problem]
        else:
            scores = {q.id: q.score for q in report.questions}
            cells = [name, *[scores.get(i, "") for i in question_ids], report.score, report.max_score, ""]
        writer.writerow([csv_cell(cell) for cell in cells])
    return out.getvalue()


def csv_text(header: list[str], rows: list[list]) -> str:
    """A CSV file of `rows` under `header`, every text cell safe for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)  # text quoted: no separator splits it
    writer.writerow(header)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def summary_json(rows: Sequence[tuple[str, GradeReport | None, str]], folders: dict[str, str]) -> str:
    """Every submission's total and status per question and the folder of its results (`folders`, by
    name, relative to the output folder), or the problem that stopped grading it; and what isolated
    the students' code."""
    graded = [report for _, report, _ in rows if report is not None]
    return json.dumps({
        "isolation": graded[0].isolation if graded else None,
        "submissions": [
            {"name": readable(name), "folder": None, "problem": readable(problem)} if report is None else
            {"name": readable(name), "folder": folders[name], "score": report.score, "max_score": report.max_score,
             "questions": {q.id: q.status for q in report.questions}}
            for name, report, problem in rows
        ],
    }, indent=2)


def markdown_summary(report: GradeReport) -> str:
    """A Markdown score and table of questions, for a CI job's summary page."""
    lines = [f"### fastquiz: {report.score}/{report.max_score} points", "",
             "| question | title | status | points | message |", "| --- | --- | --- | ---: | --- |"]
    lines += [f"| {q.id} | {markdown_cell(q.title)} | {q.status.replace('_', ' ')} | {q.score}/{q.max_score} "
              f"| {markdown_cell(' '.join(filter(None, (q.message, q.diagnosis))))} |" for q in report.questions]
    return "\n".join(lines) + "\n"


def _output(q: QuestionResult) -> str:
    lines = [f"{q.status} {q.score}/{q.max_score}" + (f": {q.message}" if q.message else "")]
    lines += [q.diagnosis] if q.diagnosis else []
    lines += [f"  {p.name}: {p.status} {p.score}/{p.max_score} {p.message}".rstrip() for p in q.parts]
    return plain_text("\n".join(lines))
