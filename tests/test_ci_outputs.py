"""`fastquiz check --ci`: a JUnit report, and a Markdown summary for GitHub Actions' job page."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.exports import markdown_summary
from fastquiz.grader.results import GradeReport, PartResult, QuestionResult
from workspaces import make_workspace


def check(*args: str, env: dict | None = None):
    return CliRunner(env=env).invoke(main, ["check", *args])


def test_ci_writes_a_junit_report_into_the_workspace_and_exits_as_usual(tmp_path):
    folder = make_workspace(tmp_path / "answers", "exercises", ("q04",))
    result = check("q04", "--ci", "--workspace", str(folder), env={"GITHUB_STEP_SUMMARY": None})
    assert result.exit_code == 1
    suite = ET.parse(folder / "junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("1", "1")
    assert suite.find("testcase/failure").get("type") == "not_started"


def test_junit_puts_the_report_where_it_is_told(tmp_path):
    folder = make_workspace(tmp_path / "answers", "solutions", ("q04",))
    target = tmp_path / "reports" / "fastquiz.xml"
    target.parent.mkdir()
    result = check("q04", "--ci", "--junit", str(target), "--workspace", str(folder))
    assert result.exit_code == 0, result.output
    assert ET.parse(target).getroot().get("failures") == "0"
    assert not (folder / "junit.xml").exists()


def test_ci_adds_the_score_and_a_table_of_questions_to_the_github_step_summary(tmp_path):
    folder = make_workspace(tmp_path / "answers", "solutions", ("q04", "q09"))
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step's summary\n")
    result = check("q04", "q09", "--ci", "--workspace", str(folder), env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 0, result.output
    text = summary.read_text()
    assert text.startswith("earlier step's summary\n")  # appended, never overwritten
    assert "### fastquiz: 8/8 points" in text
    assert "| q04 | List comprehensions | passed | 3/3 |" in text and "| q09 |" in text


def test_without_github_step_summary_only_the_junit_report_is_written(tmp_path):
    folder = make_workspace(tmp_path / "answers", "solutions", ("q04",))
    result = check("q04", "--ci", "--workspace", str(folder), env={"GITHUB_STEP_SUMMARY": None})
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["junit.xml", "q04_list_comprehension.py"]


def test_ci_with_watch_is_a_usage_error(tmp_path):
    result = check("--ci", "--watch", "--workspace", str(make_workspace(tmp_path / "answers", "exercises", ("q04",))))
    assert result.exit_code == 2 and "choose one" in result.output


def test_the_markdown_table_keeps_titles_with_pipes_in_their_cell():
    question = QuestionResult("q01", "a | b", [PartResult("part", "not_started", 0, 2)])
    text = markdown_summary(GradeReport([question]))
    assert text.splitlines()[-1] == r"| q01 | a \| b | not started | 0/2 |"
