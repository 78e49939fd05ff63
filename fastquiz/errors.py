"""Exit codes, and the errors that reach the user as one line and an exit code, never a traceback."""
from __future__ import annotations

from enum import IntEnum

import click


class ExitCode(IntEnum):
    """What a fastquiz command's exit code means, the same for every command. `EXIT_CODES` says it
    in words, for `fastquiz --help` and docs/instructors.md."""

    OK = 0
    FAILED = 1
    USAGE = 2  # click's own code for a usage error
    DATA = 3
    GRADER = 4
    NOT_ALL_GRADED = 5


EXIT_CODES = {
    ExitCode.OK: "done: every question checked passes (check), every submission was graded (grade)",
    ExitCode.FAILED: "a question does not pass (check), or a problem the message says how to fix",
    ExitCode.USAGE: "a usage error (an unknown question or option, a missing submission, an --out that can't be "
                    "written): found before any work, nothing written",
    ExitCode.DATA: "data missing, incomplete or corrupt",
    ExitCode.GRADER: "a fault of fastquiz's grader itself (please report it)",
    ExitCode.NOT_ALL_GRADED: "grade wrote its outputs, but some submissions could not be graded (summary.json says why)",
}


class FastquizError(click.ClickException):
    """A problem the user can fix; `message` says how. Exit code 1 unless given."""

    def __init__(self, message: str, exit_code: int = ExitCode.FAILED):
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it from the instance


class DataUnavailable(FastquizError):
    """The data asked for is missing, incomplete or corrupt (exit code 3)."""

    def __init__(self, message: str):
        super().__init__(message, exit_code=ExitCode.DATA)


class GraderFailed(FastquizError):
    """The grader itself broke down, not the student's code (exit code 4)."""

    def __init__(self, error: Exception):
        super().__init__(f"{error}: please report this as a fastquiz bug", exit_code=ExitCode.GRADER)
