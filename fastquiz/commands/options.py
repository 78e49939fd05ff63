"""Options and look-ups that several commands share."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import click

from ..errors import FastquizError
from ..files import unwritable
from ..workspace import find_workspace, migrate


class Writable(click.Path):
    """A path the command writes: a file (its folder must exist), or with `folder`, a folder made if
    need be. One that can't be written is a usage error as the command line is read, before any work."""

    def __init__(self, folder: bool = False):
        super().__init__(path_type=Path)  # what kind of path it must be, `unwritable` says in its own words
        self.folder = folder

    def convert(self, value, param, ctx) -> Path:
        path = Path(os.fsdecode(super().convert(value, param, ctx)))
        why = unwritable(path, self.folder)
        if why:
            self.fail(f"can't write {path}: {why}", param, ctx)
        return path


def require_writable(path: Path, option: str, folder: bool = False) -> None:
    """For a path a command chose itself (a default): a usage error naming `option` when it can't be written."""
    why = unwritable(path, folder)
    if why:
        raise click.UsageError(f"can't write {path}: {why} (pass {option} with another path)")

workspace_option = click.option(
    "--workspace", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The folder with your answers (default: the workspace around the current folder).",
)


def resolve_workspace(workspace: Path | None) -> Path:
    """An explicit --workspace as given, else the workspace around the current folder; a workspace
    made with an older question bank is migrated first, and each change named on stderr."""
    if workspace is None:
        workspace = find_workspace(Path.cwd())
        if workspace is None:
            raise FastquizError(f"{Path.cwd()} is not in a fastquiz workspace: run `fastquiz init DIR`, or pass "
                                "--workspace DIR")
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
