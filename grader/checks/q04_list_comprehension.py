"""Checks for question 4: select the odd numbers and double them, in one comprehension."""
import ast

from hypothesis import given, strategies as st

from ..question import Question

QUESTION = Question(
    title="List comprehensions",
    source=4,
    hints=[
        "A comprehension has three pieces: what to produce (`2 * n`), where from (`for n in numbers`), "
        "and which items to keep (an `if` at the end).",
        "`n % 2 == 1` is true for odd numbers in Python, negative ones included: "
        "`[2 * n for n in numbers if n % 2 == 1]`.",
    ],
)


@QUESTION.part(points=2)
@given(st.lists(st.integers(-1000, 1000), max_size=30))
def test_doubles_each_odd_number_in_order(student, numbers):
    expected = [2 * n for n in numbers if n % 2]
    got = student.function("double_odds")(list(numbers))
    assert got == expected, f"double_odds({numbers}) returned {got!r}, expected {expected!r}"


@QUESTION.part(points=1)
def test_uses_a_list_comprehension(student):
    function = student.definition("double_odds")
    assert any(isinstance(node, ast.ListComp) for node in ast.walk(function)), \
        "double_odds should build its result with a list comprehension"
    assert not any(isinstance(node, (ast.For, ast.While)) for node in ast.walk(function)), \
        "double_odds should not need a for or while statement: use the comprehension alone"
