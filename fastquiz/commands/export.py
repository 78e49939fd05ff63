"""`fastquiz export classroom|gradescope`: set an autograding platform up to grade with fastquiz."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import FastquizError
from ..files import write_atomic


def _package(spec: str | None) -> str | None:
    if spec is None:
        return None
    if not spec.strip() or any(c in spec for c in "\r\n\0"):
        raise click.BadParameter("give one pip requirement, e.g. 'fastquiz==0.1.0' or 'git+https://...@v0.1.0'")
    return spec.strip()


package_option = click.option(
    "--package", metavar="SPEC", callback=lambda ctx, param, value: _package(value),
    help="Install fastquiz with this pip requirement (fastquiz==0.1.0, git+https://...@TAG) instead of "
         "carrying the wheel of the fastquiz that runs this export (the default).",
)


notebook_option = click.option("--notebook", "with_notebook", is_flag=True,
                               help="Also ship fastquiz.ipynb, a notebook of every question, as the students' starter.")


@click.group()
def export() -> None:
    """Set up GitHub Classroom or Gradescope to grade with fastquiz: each export carries the
    fastquiz that makes it and pins every dependency to the version installed here."""


@export.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@package_option
@notebook_option
def classroom(folder: Path, package: str | None, with_notebook: bool) -> None:
    """Make FOLDER a GitHub Classroom template repository: the stubs, a workflow that grades each
    push once (`fastquiz check --ci`) and gives every graded part its points; with --notebook, the
    students' notebook too."""
    from ..notebook import NOTEBOOK, write
    from ..platforms import classroom_files
    from ..workspace import init_workspace, refuse_existing, workspace_files

    files = {folder / name: data for name, data in classroom_files(package).items()}
    refuse_existing(folder, [*workspace_files(folder), *files, *([folder / NOTEBOOK] if with_notebook else [])])
    init_workspace(folder)
    if with_notebook:
        write(folder, package=package or "fastquiz")
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    click.echo(f"{folder} is a GitHub Classroom template: push it to a repository marked as a template, "
               "then pick it as an assignment's starter code")


@export.command()
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@package_option
@click.option("--hidden", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of hidden checks and answer keys to grade with: inside the autograder, out of "
                   "students' reach; their parts show once the grades are published.")
@notebook_option
def gradescope(archive: Path, package: str | None, hidden: Path | None, with_notebook: bool) -> None:
    """Write ARCHIVE, a Gradescope autograder zip (setup.sh and run_autograder); with --notebook, the
    students' starter notebook beside it."""
    from ..notebook import NOTEBOOK, write_starter
    from ..platforms import gradescope_zip

    if archive.exists():
        raise FastquizError(f"{archive} already exists: nothing was changed; choose a new file name")
    if with_notebook:
        click.echo(f"{write_starter(archive.parent / NOTEBOOK, package or 'fastquiz')}: hand it out; students upload it, "
                   "answered")
    write_atomic(archive, gradescope_zip(package, hidden))
    click.echo(f"{archive}: upload it as a programming assignment's autograder (Ubuntu 22.04 or later); "
               "enable the leaderboard to rank r2's accuracy and training time")
