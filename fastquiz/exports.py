"""Grading results in the formats that autograding platforms and spreadsheets read."""
from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

from .grader.results import PASSED, GradeReport, QuestionResult


def gradescope_results(report: GradeReport, seconds: float) -> dict:
    """Gradescope's autograder results.json: a test per question, and a second one for its hidden
    checks, if any, which students see only once the grades are published."""
    return {
        "score": report.score,
        "max_score": report.max_score,
        "execution_time": round(seconds, 2),
        "output": f"{sum(q.status == PASSED for q in report.questions)} of {len(report.questions)} questions pass",
        "tests": [test for q in report.questions for test in _gradescope_tests(q)],
    }


def _gradescope_tests(q: QuestionResult) -> list[dict]:
    public = QuestionResult(q.id, q.title, [p for p in q.parts if not p.hidden], q.seconds)
    hidden = QuestionResult(q.id, q.title, [p for p in q.parts if p.hidden], q.seconds)
    tests = [(public, f"{q.id}: {q.title}", "visible")]
    if hidden.parts:
        tests.append((hidden, f"{q.id}: {q.title} (hidden checks)", "after_published"))
    return [
        {"name": name, "number": q.id, "score": part.score, "max_score": part.max_score,
         "status": "passed" if part.status == PASSED else "failed", "output": _output(part), "visibility": visibility}
        for part, name, visibility in tests
    ]


def gradescope_problem(name: str, problem: str) -> dict:
    """Gradescope's results.json for a submission that could not be graded, as `fastquiz grade` says it."""
    return {"score": 0, "output": f"{name}: not graded: {problem}", "tests": []}


def junit_xml(report: GradeReport, suite: str) -> str:
    """A JUnit XML report: a test case per question, a failure for each that does not pass."""
    root = ET.Element("testsuite", name=suite, tests=str(len(report.questions)),
                      failures=str(sum(q.status != PASSED for q in report.questions)),
                      time=f"{sum(q.seconds for q in report.questions):.3f}")
    for q in report.questions:
        case = ET.SubElement(root, "testcase", classname=f"fastquiz.{q.id}", name=q.title, time=f"{q.seconds:.3f}")
        if q.status != PASSED:
            failure = ET.SubElement(case, "failure", type=q.status, message=q.message or q.status)
            failure.text = _output(q)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def gradebook_csv(rows: list[tuple[str, GradeReport | None, str]], question_ids: list[str]) -> str:
    """A row per submission, a column per question, then the total and any problem."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["submission", *question_ids, "total", "max", "problem"])
    for name, report, problem in rows:
        if report is None:
            writer.writerow([name, *[""] * len(question_ids), "", "", problem])
        else:
            scores = {q.id: q.score for q in report.questions}
            writer.writerow([name, *[scores.get(i, "") for i in question_ids], report.score, report.max_score, ""])
    return out.getvalue()


def summary_json(rows: list[tuple[str, GradeReport | None, str]]) -> str:
    """Every submission's total and status per question, and the problems that stopped grading."""
    return json.dumps({
        "submissions": [
            {"name": name, "problem": problem} if report is None else
            {"name": name, "score": report.score, "max_score": report.max_score,
             "questions": {q.id: q.status for q in report.questions}}
            for name, report, problem in rows
        ],
    }, indent=2)


def markdown_summary(report: GradeReport) -> str:
    """A Markdown score and table of questions, for a CI job's summary page."""
    lines = [f"### fastquiz: {report.score}/{report.max_score} points", "",
             "| question | title | status | points |", "| --- | --- | --- | ---: |"]
    lines += [f"| {q.id} | {_cell(q.title)} | {q.status.replace('_', ' ')} | {q.score}/{q.max_score} |"
              for q in report.questions]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text that can't end a Markdown table cell early."""
    return text.replace("|", "\\|").replace("\n", " ")


def _output(q: QuestionResult) -> str:
    lines = [f"{q.status} {q.score}/{q.max_score}" + (f": {q.message}" if q.message else "")]
    lines += [f"  {p.name}: {p.status} {p.score}/{p.max_score} {p.message}".rstrip() for p in q.parts]
    return "\n".join(lines)
