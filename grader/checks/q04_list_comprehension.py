"""Checks for question 4: select the odd numbers and double them, in one comprehension."""
import ast

from hypothesis import given, strategies as st

from ..question import BEHAVIOUR, SOURCE, Question
from ._source import reachable

QUESTION = Question(
    title="List comprehensions",
    source=4,
    hints=[
        "double_odds needs one comprehension with three pieces: what to produce (`2 * n`), where from "
        "(`for n in numbers`), and which items to keep (an `if` at the end).",
        "In double_odds, `n % 2 == 1` is true for odd numbers in Python, negative ones included (unlike the "
        "remainder of C, math.fmod): `[2 * n for n in numbers if n % 2 == 1]`.",
    ],
)


@QUESTION.part(points=2, kind=BEHAVIOUR)
@given(st.lists(st.integers(-1000, 1000), max_size=30))
def test_doubles_each_odd_number_in_order(student, numbers):
    """Graded: "your results on many random lists". Rules: "in their original order, the odd numbers of
    `numbers`, each multiplied by two", "Negative numbers can be odd too"."""
    expected = [2 * n for n in numbers if n % 2]
    got = student.function("double_odds")(list(numbers))
    assert got == expected, f"double_odds({numbers}) returned {got!r}, expected {expected!r}"


@QUESTION.part(points=1, kind=SOURCE)
def test_uses_a_list_comprehension(student):
    """Graded: "that the code is one comprehension". Rule: "Use a single list comprehension (no `for`
    statement, no `append`)"."""
    assert isinstance(student.function("double_odds")([5, -3, 8]), list), \
        "double_odds should return a list: make it run first, then see how it is written"
    code = reachable(student, "double_odds")
    comprehensions = sum(isinstance(n, ast.ListComp) for node in code.nodes for n in ast.walk(node))
    assert comprehensions, "double_odds should build its result with a list comprehension"
    statements = [loop for loop in code.loops() if loop in ("For", "While")]
    assert not statements, \
        "double_odds (or a helper it calls) uses a for or while statement: use the comprehension alone"
    assert not code.uses({"append", "extend", "insert"}), (
        "double_odds (or a helper it calls) adds items with append: the comprehension builds the list itself, "
        "put the expression `2 * n` at its front")
    assert comprehensions == 1, (
        f"double_odds (or a helper it calls) uses {comprehensions} list comprehensions: one can keep the odd "
        "numbers and double them at once (the `if` goes at its end)")
