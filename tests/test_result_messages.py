"""A question's one-line message says what is left to do: the part that ran out of time, the parts not started."""
from fastquiz.grader.results import FAILED, NOT_STARTED, PASSED, TIMEOUT, PartResult, QuestionResult


def question(*parts: PartResult) -> QuestionResult:
    return QuestionResult("q99", "A question", list(parts))


def test_a_timeout_names_the_part_that_ran_out_not_an_earlier_failure():
    result = question(PartResult("test_first_part", FAILED, 0, 1, "wrong value"),
                      PartResult("test_trains_the_model", TIMEOUT, 0, 2, "took longer than the 10 s limit"),
                      PartResult("test_last_part", TIMEOUT, 0, 1, "took longer than the 10 s limit"))
    assert (result.status, result.message) == (TIMEOUT, "trains the model: took longer than the 10 s limit")


def test_a_half_answered_question_names_the_parts_not_started_yet():
    result = question(PartResult("test_computes_it", PASSED, 2, 2),
                      PartResult("test_explains_why", NOT_STARTED, 0, 1, "not answered yet"),
                      PartResult("test_plots_it", NOT_STARTED, 0, 1, "not answered yet"))
    assert (result.status, result.message) == (FAILED, "not started yet: explains why; plots it")


def test_a_failure_comes_before_the_parts_not_started():
    result = question(PartResult("test_computes_it", FAILED, 0, 2, "off by 3"),
                      PartResult("test_explains_why", NOT_STARTED, 0, 1, "not answered yet"))
    assert result.message == "off by 3"


def test_an_untouched_question_has_no_message():
    assert question(PartResult("test_computes_it", NOT_STARTED, 0, 2, "not answered yet")).message == ""
