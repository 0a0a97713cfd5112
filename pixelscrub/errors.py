"""Exit codes and the exceptions that carry them.

Every message says what to do next. None may contain a value read from a DICOM file.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    bad_args = 2
    missing_dependency = 3
    input_unreadable = 4
    output_not_writable = 5
    not_found = 6
    below_target = 7
    interrupted = 130


class PixelscrubError(Exception):
    """An error that ends the command with its exit code and a message for the user."""

    exit_code = ExitCode.bad_args


class BadArgsError(PixelscrubError):
    exit_code = ExitCode.bad_args


class MissingDependencyError(PixelscrubError):
    exit_code = ExitCode.missing_dependency


class InputUnreadableError(PixelscrubError):
    exit_code = ExitCode.input_unreadable


class OutputNotWritableError(PixelscrubError):
    exit_code = ExitCode.output_not_writable


class NotFoundError(PixelscrubError):
    exit_code = ExitCode.not_found


class BelowTargetError(PixelscrubError):
    exit_code = ExitCode.below_target


class RunInterrupted(PixelscrubError):
    exit_code = ExitCode.interrupted
