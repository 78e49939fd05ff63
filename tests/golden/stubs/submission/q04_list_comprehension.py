"""Question 4: List comprehensions (fastbook ch. 4, question 4).

A list comprehension builds a new list from an existing iterable in one expression:
`[f(x) for x in xs if condition(x)]` keeps the items that pass the condition and
transforms each one.

Write `double_odds(numbers)`: it returns, in their original order, the odd numbers of
`numbers`, each multiplied by two. Use a single list comprehension (no `for` statement,
no `append`). Negative numbers can be odd too.

    >>> double_odds([1, 2, 3, 4, 5])
    [2, 6, 10]

Graded: your results on many random lists; and that the code is one comprehension.
"""


def double_odds(numbers: list[int]) -> list[int]:
    raise NotImplementedError("write your list comprehension here")


# Not graded: explain, in your own words, what a list comprehension is.
EXPLAIN = """
"""
