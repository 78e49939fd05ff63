"""The `fastquiz` command line: the group, and its commands from `fastquiz.commands`."""
from __future__ import annotations

import click

from . import __version__
from .commands.check import check
from .commands.data import data
from .commands.export import export
from .commands.grade import grade
from .commands.pipeline import pipeline
from .commands.report import report
from .commands.workspace import hint, init, list_questions, reset, solution


@click.group()
@click.version_option(__version__, prog_name="fastquiz")
def main() -> None:
    """Graded exercises for fastbook chapter 4: training a digit classifier from scratch."""


for command in (init, check, list_questions, hint, solution, reset, grade, export, data, pipeline, report):
    main.add_command(command)
