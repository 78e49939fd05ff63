"""`fastquiz export classroom|gradescope`: set an autograding platform up to grade with fastquiz."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import FastquizError
from ..files import write_atomic
from .options import Writable


def _package(spec: str | None) -> str | None:
    if spec is None:
        return None
    if not spec.strip() or any(c in spec for c in "\r\n\0"):
        raise click.BadParameter("give one pip requirement, e.g. 'fastquiz==0.1.0' or 'git+https://...@v0.1.0'")
    return spec.strip()


def package_spec(help: str):
    """The --package option: a pip requirement to install fastquiz with, checked to be one line."""
    return click.option("--package", metavar="SPEC", callback=lambda ctx, param, value: _package(value), help=help)


package_option = package_spec(
    "Install fastquiz with this pip requirement (fastquiz==0.1.0, git+https://...@TAG) instead of carrying the "
    "students' build of the fastquiz that runs this export (the default: a wheel without the model answers).")


notebook_option = click.option("--notebook", "with_notebook", is_flag=True,
                               help="Also ship fastquiz.ipynb, a notebook of every question, as the students' starter.")


@click.group()
def export() -> None:
    """Set up GitHub Classroom or Gradescope to grade with fastquiz: each export carries the
    fastquiz that makes it and pins every dependency to the version installed here."""


@export.command()
@click.argument("folder", type=Writable(folder=True))
@package_option
@notebook_option
def classroom(folder: Path, package: str | None, with_notebook: bool) -> None:
    """Make FOLDER a GitHub Classroom template repository: the stubs, a workflow that grades each
    push once (`fastquiz check --ci`) and gives every graded part its points; with --notebook, the
    students' notebook too. It carries fastquiz without the model answers."""
    from ..notebook import NOTEBOOK, write
    from ..platforms import classroom_files, classroom_package, install
    from ..workspace import init_workspace, refuse_existing, workspace_files

    setup = install(package)
    files = {folder / name: data for name, data in classroom_files(setup).items()}
    refuse_existing(folder, [*workspace_files(folder), *files, *([folder / NOTEBOOK] if with_notebook else [])])
    init_workspace(folder)
    if with_notebook:
        write(folder, package=classroom_package(setup))
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    click.echo(f"{folder} is a GitHub Classroom template: push it to a repository marked as a template, "
               "then pick it as an assignment's starter code")
    _say_what_students_install(package)


@export.command()
@click.argument("archive", type=Writable())
@package_option
@click.option("--hidden", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of hidden checks and answer keys to grade with: inside the autograder, out of "
                   "students' reach; their parts show once the grades are published.")
@notebook_option
def gradescope(archive: Path, package: str | None, hidden: Path | None, with_notebook: bool) -> None:
    """Write ARCHIVE, a Gradescope autograder zip (setup.sh and run_autograder); with --notebook, the
    students' starter notebook beside it, and the fastquiz it installs (without the model answers)."""
    from ..notebook import NOTEBOOK, write_starter
    from ..platforms import gradescope_zip, install

    setup = install(package)
    starter = [archive.parent / NOTEBOOK, *([archive.parent / setup.package] if setup.wheel is not None else [])]
    taken = [path for path in [archive, *(starter if with_notebook else [])] if path.exists()]
    if taken:
        raise FastquizError(f"{taken[0]} already exists: nothing was changed; choose a new file name or folder")
    write_atomic(archive, gradescope_zip(setup, hidden))
    click.echo(f"{archive}: upload it as a programming assignment's autograder (Ubuntu 22.04 or later); "
               "enable the leaderboard to rank r2's accuracy and training time")
    if with_notebook:
        if setup.wheel is not None:
            write_atomic(starter[1], setup.wheel)
        write_starter(starter[0], setup.package)  # its set-up cell installs the wheel beside it, or --package
        click.echo(f"{' and '.join(str(path) for path in starter)}: hand {'them' if len(starter) > 1 else 'it'} out "
                   "(in one folder); students upload the notebook, answered")
    _say_what_students_install(package)


def _say_what_students_install(package: str | None) -> None:
    """Where --package was given, that students install it, model answers and all if it is the public package."""
    if package is not None:
        click.echo(f"note: students install {package}; the public fastquiz holds the model answers, the "
                   "students' build that an export carries without --package does not")
