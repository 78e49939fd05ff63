"""fastquiz's grader: the checks of every question, and the machinery that runs them.

A question is three files with the same name: the stub a student fills in
(`exercises/`), a model answer (`solutions/`) and the checks (`grader/checks/`), whose
module-level `QUESTION` holds the question's metadata: id, title, hints, and the points
of each graded part.
"""
