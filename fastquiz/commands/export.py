"""`fastquiz export classroom|gradescope`: set an autograding platform up to grade with fastquiz."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import FastquizError
from ..files import write_atomic


def _package(spec: str) -> str:
    if not spec.strip() or any(c in spec for c in "\r\n\0"):
        raise click.BadParameter("give one pip requirement, e.g. 'fastquiz==0.1.0' or 'git+https://...@v0.1.0'")
    return spec.strip()


package_option = click.option(
    "--package", default="fastquiz", show_default=True, callback=lambda ctx, param, value: _package(value),
    help="What pip installs fastquiz from; pin it (fastquiz==0.1.0, git+https://...@TAG) so grading stays the same.",
)


notebook_option = click.option("--notebook", "with_notebook", is_flag=True,
                               help="Also ship fastquiz.ipynb, a notebook of every question, as the students' starter.")


@click.group()
def export() -> None:
    """Set up GitHub Classroom or Gradescope to grade with fastquiz."""


@export.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@package_option
@notebook_option
def classroom(folder: Path, package: str, with_notebook: bool) -> None:
    """Make FOLDER a GitHub Classroom template repository: the stubs, a workflow that runs
    `fastquiz check --ci`, and an autograding test per question."""
    from ..notebook import NOTEBOOK, write
    from ..platforms import classroom_files
    from ..workspace import init_workspace, refuse_existing, workspace_files

    files = {folder / name: text for name, text in classroom_files(package).items()}
    refuse_existing(folder, [*workspace_files(folder), *files, *([folder / NOTEBOOK] if with_notebook else [])])
    init_workspace(folder)
    if with_notebook:
        write(folder, package=package)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    click.echo(f"{folder} is a GitHub Classroom template: push it to a repository marked as a template, "
               "then pick it as an assignment's starter code")


@export.command()
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@package_option
@notebook_option
def gradescope(archive: Path, package: str, with_notebook: bool) -> None:
    """Write ARCHIVE, a Gradescope autograder zip (setup.sh and run_autograder); with --notebook, the
    students' starter notebook beside it."""
    from ..notebook import NOTEBOOK, write_starter
    from ..platforms import gradescope_zip

    if archive.exists():
        raise FastquizError(f"{archive} already exists: nothing was changed; choose a new file name")
    if with_notebook:
        click.echo(f"{write_starter(archive.parent / NOTEBOOK, package)}: hand it out; students upload it, answered")
    write_atomic(archive, gradescope_zip(package))
    click.echo(f"{archive}: upload it as a programming assignment's autograder (Ubuntu 22.04 or later)")
