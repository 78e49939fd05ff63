"""Question 4: List comprehensions (fastbook ch. 4, question 4). Model answer."""


def double_odds(numbers: list[int]) -> list[int]:
    return [2 * n for n in numbers if n % 2 == 1]


EXPLAIN = """
A list comprehension is an expression that builds a list by looping over an iterable,
optionally filtering the items with an `if` clause and transforming each one, all in a
single line: shorter than a loop with `append`, and usually faster.
"""
