"""Options and look-ups that several commands share."""
from __future__ import annotations

import textwrap
from pathlib import Path

import click

from ..workspace import find_workspace, migrate

workspace_option = click.option(
    "--workspace", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The folder with your answers (default: the workspace around the current folder).",
)


def resolve_workspace(workspace: Path | None) -> Path:
    """An explicit --workspace as given, else the workspace around the current folder; a workspace
    made with an older question bank is migrated first, and each change named on stderr."""
    if workspace is None:
        workspace = find_workspace(Path.cwd())
    elif not workspace.is_dir():
        raise click.UsageError(f"{workspace} is not a folder: pass --workspace with the folder of your answers")
    for note in migrate(workspace):
        click.echo(f"note: {note}", err=True)
    return workspace


def resolve_questions(ids: list[str]) -> list[str]:
    """Module names for the ids a user typed; a usage error names an unknown one."""
    from ..grader.question import resolve

    try:
        return resolve(ids)
    except KeyError as unknown:
        raise click.UsageError(f"no question {unknown.args[0]!r}: ids are q01-q37, r1 and r2") from None


def question_ids(modules: list[str]) -> list[str]:
    """The ids (q04, r1) of question modules (q04_list_comprehension)."""
    return [module.split("_", 1)[0] for module in modules]


TITLE_WIDTH = 44


def title_lines(title: str) -> list[str]:
    """A question's title wrapped to the title column of `check` and `list` (never cut), one line per row."""
    return textwrap.wrap(title, TITLE_WIDTH) or [""]
