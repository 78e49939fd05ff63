"""The `fastquiz` console script. A command that grades has its first grading process started
before anything else is imported (`fastquiz.grader.launch`): it loads torch while the command
line (`cli.py`) loads and reads the command's options and answers."""
from __future__ import annotations

import sys


def run() -> None:
    from .grader.launch import start_early

    start_early(sys.argv)
    from .cli import run as command_line

    command_line()
