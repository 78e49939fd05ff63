"""Errors that reach the user as one line and an exit code, never a traceback."""
from __future__ import annotations

import click


class FastquizError(click.ClickException):
    """A problem the user can fix; `message` says how. Exit code 1 unless given."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it from the instance


class DataUnavailable(FastquizError):
    """The data asked for is missing, incomplete or corrupt (exit code 3)."""

    def __init__(self, message: str):
        super().__init__(message, exit_code=3)


class GraderFailed(FastquizError):
    """The grader itself broke down, not the student's code (exit code 4)."""

    def __init__(self, error: Exception):
        super().__init__(f"{error}: please report this as a fastquiz bug", exit_code=4)
