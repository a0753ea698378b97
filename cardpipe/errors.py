"""One exception hierarchy; each class carries its exit code and a hint for the user.

The CLI edge (``cli.CardpipeGroup``) is the one place that turns an exception into a
process exit: any ``CardpipeError`` becomes one line on stderr and its ``exit_code``.
Exit codes are stable and documented in the README (a test checks that).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    UNEXPECTED = 1  # a bug: a Python traceback was printed
    USAGE = 2  # bad command line (click's own code)
    INPUT = 3  # an input file or folder is missing or unreadable
    BOOK = 4  # the contact book cannot be read or written
    DEPENDENCY = 5  # a required external program (Tesseract) is missing
    CONFIG = 6  # the configuration file is missing or invalid
    LOCKED = 7  # another cardpipe run holds the lock
    SERVER = 8  # a server (CardDAV, the Dask scheduler) is unreachable, refused or was lost
    AUTH = 9  # the CardDAV server rejected the credentials
    PARTIAL = 10  # finished, but some inputs failed (each was reported)
    INTERRUPTED = 130  # Ctrl-C


class CardpipeError(Exception):
    """Base of every error cardpipe raises on purpose."""

    exit_code: ExitCode = ExitCode.UNEXPECTED
    hint: str | None = None
    #: how the CLI introduces the message on stderr ("cardpipe: error: ...")
    label: str = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def one_line(self) -> str:
        text = " ".join(str(self).split())
        return f"{text} ({self.hint})" if self.hint else text


class InputError(CardpipeError):
    """A file given to us cannot be used (missing, unreadable, not an image, too big ...)."""

    exit_code = ExitCode.INPUT

    def __init__(self, path: object, reason: str, *, hint: str | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}", hint=hint)


class ImageError(InputError):
    """A photo cannot be decoded or is outside the limits."""


class VCardError(InputError):
    """A vCard cannot be parsed (the message names file and line)."""


class BookError(CardpipeError):
    exit_code = ExitCode.BOOK


class DependencyError(CardpipeError):
    exit_code = ExitCode.DEPENDENCY


class TesseractNotFound(DependencyError):
    hint = (
        "install it: 'sudo apt-get install tesseract-ocr tesseract-ocr-eng' on Debian/Ubuntu, "
        "'brew install tesseract' on macOS, or run 'make demo' which does it for you"
    )


class ConfigError(CardpipeError):
    exit_code = ExitCode.CONFIG


class LockedError(CardpipeError):
    exit_code = ExitCode.LOCKED


class ServerError(CardpipeError):
    exit_code = ExitCode.SERVER


class ClusterError(ServerError):
    """The Dask scheduler cannot be reached, or was lost mid-run (exit 8, like an
    unreachable CardDAV server: the run stops before anything is written)."""

    hint = ("check that 'dask scheduler' is running there; the next run finishes the "
            "work (photos already read are kept)")


class AuthError(ServerError):
    exit_code = ExitCode.AUTH


class NotFoundError(CardpipeError):
    """A UID on the command line (a contact's, a follow-up's) that the book does not hold."""

    exit_code = ExitCode.USAGE


class PartialFailure(CardpipeError):
    """A batch finished, but some of its items failed (each was reported already)."""

    exit_code = ExitCode.PARTIAL
    label = "partly done"


def exit_code_for(exc: BaseException) -> ExitCode:
    """The documented exit code for an exception that ends a command."""
    if isinstance(exc, CardpipeError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.UNEXPECTED
