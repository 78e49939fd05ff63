"""class.html's numbers (score spread, pass rates, hardest questions, common failures with their
hints, r2's leaderboard) and the page itself: self-contained, with its charts as SVG data URIs;
and the same tables as CSV files."""
from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
import csv
import io
import re
from html import escape

from fastquiz.class_page import class_page
from fastquiz.class_summary import message_pattern, summarize
from fastquiz.grader.results import GradeReport, PartResult, QuestionResult


def result(qid: str, status: str, score: int, max_score: int = 4, message: str = "") -> QuestionResult:
    return QuestionResult(qid, f"title of {qid}", [PartResult("part", status, score, max_score, message)])


def report(*questions: QuestionResult) -> GradeReport:
    return GradeReport(list(questions))


CLASS = [
    ("ann", report(result("q01", "passed", 4), result("q02", "failed", 1, message="f(3) returned 4, expected 5"))),
    ("ben", report(result("q01", "passed", 4), result("q02", "failed", 2, message="f(7) returned 8, expected 9"))),
    ("cat", report(result("q01", "not_started", 0), result("q02", "error", 0, message="NameError: x (q02.py:3)"))),
]


def rows(*extra):
    return [(name, rep, "") for name, rep in CLASS] + list(extra)


def test_each_question_counts_its_passes_and_attempts_among_the_graded_submissions():
    q01, q02 = summarize(rows()).questions
    assert (q01.id, q01.graded, q01.attempted, q01.passed) == ("q01", 3, 2, 2)
    assert q01.pass_rate == 2 / 3 and q01.mean_score == 8 / 3
    assert (q02.passed, q02.pass_rate, q02.mean_score) == (0, 0.0, 1.0)


def test_the_scores_and_their_mean_and_median_are_per_submission():
    summary = summarize(rows())
    assert summary.scores == {"ann": 5, "ben": 6, "cat": 0}
    assert (summary.max_score, summary.mean, summary.median) == (8, 11 / 3, 5)


def test_the_hardest_questions_come_first_by_pass_rate_then_by_mean_score():
    def submission(q01: int, q02: int) -> GradeReport:
        return report(result("q01", "failed", q01), result("q02", "failed", q02), result("q03", "passed", 4))

    summary = summarize([("a", submission(1, 3), ""), ("b", submission(1, 3), "")])
    assert [q.id for q in summary.hardest(2)] == ["q01", "q02"]


def test_failure_messages_that_differ_only_in_numbers_or_quoted_values_are_one_group():
    groups = summarize(rows()).failures
    assert [(g.question, g.count, g.submissions) for g in groups] == [("q02", 2, ("ann", "ben")), ("q02", 1, ("cat",))]
    assert groups[0].message == "f(3) returned 4, expected 5"  # the first as a student saw it
    assert message_pattern("f('/a/1.png') returned 'b', off by 0.25") == "f('…') returned '…', off by #"
    assert message_pattern("len() of x (q05_rank3_tensor.py:10)") == "len() of x (q05_rank3_tensor.py:#)"


def test_each_questions_commonest_diagnosed_mistakes_are_counted_in_the_banks_order():
    def diagnosed(qid: str, words: str | None) -> QuestionResult:
        return QuestionResult(qid, f"title of {qid}", [PartResult("part", "failed", 0, 4, "wrong", diagnosis=words)])

    names = {"a": ("r1", "L"), "b": ("q07", "M"), "c": ("q07", "N"), "d": ("q07", "N"), "e": ("q07", None)}
    summary = summarize([(name, report(diagnosed(*found)), "") for name, found in names.items()])
    assert [(m.question, m.message, m.submissions) for m in summary.mistakes] == [
        ("q07", "N", ("c", "d")), ("q07", "M", ("b",)), ("r1", "L", ("a",))]
    assert "N" in class_page(summary)


def test_passing_and_untouched_answers_are_not_failures():
    summary = summarize(rows())
    assert all(g.question != "q01" for g in summary.failures)


def test_submissions_that_could_not_be_graded_are_kept_with_their_problem():
    summary = summarize(rows(("dan", None, "is an empty folder")))
    assert summary.ungraded == {"dan": "is an empty folder"} and "dan" not in summary.scores


def test_the_page_is_self_contained_with_its_charts_as_svg_data_uris():
    page = class_page(summarize(rows()))
    assert "<style>" in page and not re.search(r"<link|<script|src=\"http|url\(", page)
    images = re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 2
    histogram, rates = (ET.fromstring(base64.b64decode(i)) for i in images)  # well-formed SVG, nothing to fetch
    bars = [r for r in histogram.iter("{http://www.w3.org/2000/svg}rect")]
    assert sum(int(r.find("{http://www.w3.org/2000/svg}title").text) for r in bars) == len(summarize(rows()).scores)
    assert len(list(rates.iter("{http://www.w3.org/2000/svg}rect"))) == len(summarize(rows()).questions)
    for section in ("Scores", "Hardest questions", "Most common failure messages", "Pass rate per question"):
        assert f"<h2>{section}</h2>" in page


def test_names_and_messages_are_escaped_in_the_page():
    hostile = report(result("q01", "failed", 0, message="<script>alert(1)</script>"))
    page = class_page(summarize([("<b>eve</b>", hostile, ""), ("<i>x</i>", None, "is <bad>")]))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>eve</b>" not in page and "&lt;b&gt;eve&lt;/b&gt;" in page and "is &lt;bad&gt;" in page


def test_a_class_where_nothing_could_be_graded_still_gets_a_page():
    page = class_page(summarize([("dan", None, "does not exist")]))
    assert "No submission could be graded" in page and "does not exist" in page and "<img" not in page


def r2(accuracy: float, seconds: float) -> QuestionResult:
    metrics = {"held_out_accuracy": accuracy, "training_seconds": seconds}
    return QuestionResult("r2", "All ten digits", [PartResult("test_trains", "passed", 2, 2, metrics=metrics)])


def test_the_leaderboard_ranks_r2s_accuracy_then_its_training_time():
    summary = summarize([("slow", report(r2(0.9, 20.0)), ""), ("best", report(r2(0.95, 30.0)), ""),
                         ("fast", report(r2(0.9, 5.0)), ""), ("none", report(result("q01", "passed", 4)), "")])
    assert [(r.submission, r.accuracy, r.seconds) for r in summary.leaderboard] == [
        ("best", 0.95, 30.0), ("fast", 0.9, 5.0), ("slow", 0.9, 20.0)]
    board = class_page(summary).split("<h2>Leaderboard (r2)</h2>")[1].split("<h2>")[0]
    assert board.index("best") < board.index("fast") < board.index("slow") and "95.0%" in board


def test_each_common_failure_links_to_its_questions_hints():
    from fastquiz.grader.question import load_questions

    q04 = next(q for q in load_questions() if q.id == "q04")
    failing = report(QuestionResult("q04", q04.title, [PartResult("part", "failed", 0, 3, "wrong")]))
    summary = summarize([("ann", failing, "")])
    assert summary.hints == {"q04": q04.hints}
    page = class_page(summary)
    assert '<a href="#hints-q04">q04</a>' in page and 'id="hints-q04"' in page
    assert all(escape(hint) in page for hint in q04.hints)


def test_the_tables_as_csv_files_keep_spreadsheet_formulas_out():
    from fastquiz.class_page import class_tables

    hostile = report(result("q01", "failed", 0, message="=HYPERLINK(\"http://x\")"), r2(0.9, 1.0))
    tables = class_tables(summarize([("=cmd|' /C calc'!A0", hostile, ""), ("@SUM(1)", report(r2(0.5, 2.0)), "")]))
    board = list(csv.reader(io.StringIO(tables["leaderboard.csv"])))
    assert board == [["submission", "r2 held-out accuracy", "r2 training seconds"],
                     ["'=cmd|' /C calc'!A0", "0.9", "1.0"], ["'@SUM(1)", "0.5", "2.0"]]
    failures = list(csv.DictReader(io.StringIO(tables["failures.csv"])))
    assert failures[0]["message"] == "'=HYPERLINK(\"http://x\")" and failures[0]["who"] == "'=cmd|' /C calc'!A0"


def test_in_a_students_build_similar_answers_are_found_without_the_model_answers(monkeypatch):
    """Where the model answers are not installed, nothing is set aside as the model's: two students
    handing in the model answer are a pair, where with the model answers they are not."""
    import fastquiz.workspace
    from workspaces import ROOT

    module = "r2_all_ten_digits"
    model = (ROOT / "solutions" / f"{module}.py").read_text()
    answers = {"ann": {module: model}, "ben": {module: model}}
    graded = [(name, report(result("r2", "passed", 4)), "") for name in answers]
    assert summarize(graded, answers=answers).similar == []
    monkeypatch.setattr(fastquiz.workspace, "solutions_dir", lambda: None)
    (pair,) = summarize(graded, answers=answers).similar
    assert (pair.question, pair.a, pair.b, pair.similarity) == (module, "ann", "ben", 1.0)
