"""`fastquiz check --ci`: a JUnit report that CI tools' schemas accept, and a Markdown summary
for GitHub Actions' job page; and every output that carries a student's text (a name, a
message), parsed as its reader parses it: JUnit by an XML parser and both schemas, gradebook.csv
by the csv module, results.json against Gradescope's specification, Markdown cell by cell."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from fastquiz.cli import main
from fastquiz.escaping import markdown_cell
from fastquiz.exports import gradebook_csv, gradescope_problem, gradescope_results, junit_xml, markdown_summary
from fastquiz.grader.results import GradeReport, PartResult, QuestionResult
from workspaces import make_workspace

SCHEMAS = Path(__file__).parent / "schemas"
HOSTILE = "bad \x1b[31mred\x1b[0m \x00 nul \x0b\x0c \ud800 <b>&</b> | ]]> \r\n=1+2"


def check(*args: str, env: dict | None = None):
    return CliRunner(env=env).invoke(main, ["check", *args])


def test_ci_writes_a_junit_report_into_the_workspace_and_exits_as_usual(tmp_path):
    folder = make_workspace(tmp_path / "answers", "exercises", ("q04",))
    result = check("q04", "--ci", "--workspace", str(folder), env={"GITHUB_STEP_SUMMARY": None})
    assert result.exit_code == 1
    suite = ET.parse(folder / "junit.xml").getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("2", "0", "0", "2")
    assert [case.get("classname") for case in suite.iter("testcase")] == ["fastquiz.q04", "fastquiz.q04"]
    assert all(case.find("skipped") is not None for case in suite.iter("testcase"))


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
    assert "| q04 | List comprehensions | passed | 3/3 |  |" in text and "| q09 |" in text


def test_without_github_step_summary_only_the_junit_report_is_written(tmp_path):
    folder = make_workspace(tmp_path / "answers", "solutions", ("q04",))
    result = check("q04", "--ci", "--workspace", str(folder), env={"GITHUB_STEP_SUMMARY": None})
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["junit.xml", "q04_list_comprehension.py"]


def test_ci_with_watch_is_a_usage_error(tmp_path):
    result = check("--ci", "--watch", "--workspace", str(make_workspace(tmp_path / "answers", "exercises", ("q04",))))
    assert result.exit_code == 2 and "choose one" in result.output


def test_the_markdown_table_keeps_titles_and_messages_in_their_cell_as_plain_text():
    question = QuestionResult("q01", "a | b", [PartResult("part", "failed", 0, 2, "see [here](javascript:x) <img>\n| x")])
    row = markdown_summary(GradeReport([question])).splitlines()[-1]
    assert row == r"| q01 | a \| b | failed | 0/2 | see \[here\]\(javascript\:x\) \<img\> \| x |"
    assert len(row.replace(r"\|", "").split("|")) == 7  # five cells, whatever the message holds


# --- JUnit: one test case per part, valid for Jenkins' xunit and Ant ---------------------------

def every_outcome(message: str = "") -> GradeReport:
    parts = [PartResult("test_a", "passed", 2, 2), PartResult("test_b", "failed", 0, 1, f"failed: {message}"),
             PartResult("test_c", "error", 0, 1, f"error: {message}"), PartResult("test_d", "timeout", 0, 1, "ran 10 s"),
             PartResult("test_e", "memory", 0, 1, "over 2 GB"), PartResult("test_f", "not_started", 0, 1, "not answered")]
    return GradeReport([QuestionResult("q04", "List comprehensions", parts, 1.2),
                        QuestionResult("r2", f"All ten {message}", [PartResult("test_g", "passed", 1, 1)], 3.0)])


@pytest.mark.parametrize("schema", ["junit-10.xsd", "JUnit.xsd"])
def test_junit_validates_against_the_schemas_ci_tools_use_whatever_the_messages_hold(schema):
    etree = pytest.importorskip("lxml.etree")
    validator = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    document = etree.fromstring(junit_xml(every_outcome(HOSTILE), f"sub{HOSTILE}").encode())
    assert validator.validate(document), validator.error_log


def test_junit_has_a_case_per_part_errors_for_errors_and_limits_and_skips_for_parts_not_started():
    suite = ET.fromstring(junit_xml(every_outcome(), "alice"))
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("7", "1", "3", "1")
    outcomes = {case.get("name"): [child.tag for child in case] for case in suite.iter("testcase")}
    assert outcomes == {"test_a": [], "test_b": ["failure"], "test_c": ["error"], "test_d": ["error"],
                        "test_e": ["error"], "test_f": ["skipped"], "test_g": []}
    assert {case.get("classname") for case in suite.iter("testcase")} == {"fastquiz.q04", "fastquiz.r2"}
    assert suite.find(".//testcase[@name='test_d']/error").get("type") == "timeout"


def test_junit_drops_the_characters_xml_forbids_and_keeps_the_rest_of_the_message():
    suite = ET.fromstring(junit_xml(every_outcome(HOSTILE), "alice"))  # parses: nothing invalid is left
    message = suite.find(".//testcase[@name='test_b']/failure").get("message")
    assert message == "failed: bad [31mred[0m  nul  \\ud800 <b>&</b> | ]]> \r\n=1+2"


# --- gradebook.csv and Gradescope's results.json ------------------------------------------------

def test_the_gradebook_neutralises_formulas_in_names_and_problems_and_parses_back():
    report = every_outcome()
    rows = [("=1+2", report, ""), ("+cmd", report, ""), ("-2", None, "=HYPERLINK(1)"), ("@SUM(A1)", None, "\tx"),
            ("\rx", None, "ok"), ("plain, \"quoted\"", report, ""), ("bad\udcff", None, "odd")]
    table = list(csv.reader(io.StringIO(gradebook_csv(rows, ["q04", "r2"]))))
    assert [row[0] for row in table[1:]] == ["'=1+2", "'+cmd", "'-2", "'@SUM(A1)", "'\rx", 'plain, "quoted"', "bad\\xff"]
    assert [row[-1] for row in table[3:5]] == ["'=HYPERLINK(1)", "'\tx"]
    assert table[1][1:5] == ["2", "1", "3", "8"]  # numbers stay numbers


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_no_cell_starts_a_formula_wherever_a_spreadsheet_splits_cells(separator):
    """Excel in most European locales splits cells at ";": a name that holds one must not start a
    formula in the next cell, however the file is split (honouring quotes or not)."""
    names = [f"{before}{separator}{space}{start}1+2{separator}x" for start in "=+-@" for before in ("a", "")
             for space in ("", " ", '"')]
    text = gradebook_csv([(name, None, f"{separator}=HYPERLINK(1)") for name in names], ["q04"])
    for line in text.splitlines()[1:]:
        for reader in (next(csv.reader([line], delimiter=separator)), line.split(separator)):
            for cell in reader:
                assert not cell.strip(" \"").startswith(("=", "+", "-", "@")), (line, cell)


def test_gradescope_results_follow_the_specification_and_show_every_text_as_text():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "gradescope_results.schema.json").read_text())
    for results in (gradescope_results(every_outcome(HOSTILE), 4.2), gradescope_problem(f"n{HOSTILE}", HOSTILE)):
        jsonschema.validate(results, schema)
        assert results["output_format"] == results["test_output_format"] == results["test_name_format"] == "text"
        texts = " ".join(strings(results))
        texts.encode("utf-8")  # no lone surrogate: writable as UTF-8
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", texts)  # no terminal escape, no NUL


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *strings(item)]]
    return [s for item in value for s in strings(item)] if isinstance(value, list) else []


def test_a_diagnosis_follows_its_parts_message_in_junit_results_json_and_the_summary():
    words = "This looks like RMSE without the square root."
    report = GradeReport([
        QuestionResult("q07", "RMSE and L1", [PartResult("test_rmse", "failed", 0, 2, "rmse gave 4.0, expected 2.0",
                                                         diagnosis=words), PartResult("test_l1", "passed", 1, 1)]),
        QuestionResult("q04", "List comprehensions", [PartResult("test_a", "passed", 2, 2)])])
    failure = ET.fromstring(junit_xml(report, "alice")).find(".//testcase[@name='test_rmse']/failure")
    assert failure.text.endswith(f"rmse gave 4.0, expected 2.0\n{words}")
    tests = gradescope_results(report, 1.0)["tests"]
    assert [t["extra_data"]["diagnosis"] for t in tests] == [words, None]
    assert words in tests[0]["output"]
    assert markdown_cell(f"rmse gave 4.0, expected 2.0 {words}") in markdown_summary(report)
