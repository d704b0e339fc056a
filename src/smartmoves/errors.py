"""One hierarchy of errors for the whole product.

Every layer raises these; the interfaces translate them: the CLI prints one line and
exits with :attr:`SmartMovesError.exit_code`, the web answers with
:attr:`SmartMovesError.http_status`. A user never sees a traceback for a known failure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ConfigError",
    "Conflict",
    "DataError",
    "Forbidden",
    "InfeasibleError",
    "NotFound",
    "Problem",
    "SmartMovesError",
    "StoreBusy",
    "TooManyAttempts",
    "Unauthorized",
]


class SmartMovesError(Exception):
    """Base of every error smartmoves raises on purpose."""

    exit_code: int = 1
    http_status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def lines(self) -> list[str]:
        """The lines a user should read, most important first."""
        return [self.message]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one place in an input file.

    ``row`` counts the way a spreadsheet does: the header is row 1, the first record
    row 2. ``row`` is ``None`` for problems with the whole file (empty, wrong encoding)
    and ``column`` is ``None`` for problems with a whole row.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    expected: str | None = None

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        what = self.message if self.column is None else f"column {self.column}: {self.message}"
        if self.expected:
            what = f"{what} (expected {self.expected})"
        return f"{where}: {what}"


class DataError(SmartMovesError):
    """Input data is not what a table contract expects; nothing was written.

    Carries every :class:`Problem` found, so a user can fix a file in one pass.
    """

    exit_code = 2
    http_status = 422

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: Sequence[Problem] = ()
            super().__init__(problems)
            return
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("DataError needs at least one problem")
        first = str(self.problems[0])
        more = len(self.problems) - 1
        super().__init__(first if not more else f"{first} (and {more} more problems)")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] if self.problems else [self.message]


class ConfigError(SmartMovesError):
    """A setting, option or workspace is wrong (bad value, missing workspace...)."""

    exit_code = 2
    http_status = 400


class InfeasibleError(SmartMovesError):
    """The constraints given to an engine cannot all hold at once.

    ``reasons`` lists, in the product's words, which constraints bind.
    """

    exit_code = 2
    http_status = 422

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.reasons = tuple(reasons)

    def lines(self) -> list[str]:
        return [self.message, *(f"  - {r}" for r in self.reasons)]


class NotFound(SmartMovesError):
    """A named thing (unit, person, pilot...) does not exist."""

    exit_code = 2
    http_status = 404


class Unauthorized(SmartMovesError):
    """No valid login."""

    exit_code = 2
    http_status = 401


class Forbidden(SmartMovesError):
    """Logged in, but this role may not see or do that."""

    exit_code = 2
    http_status = 403


class Conflict(SmartMovesError):
    """What the user acted on changed meanwhile (a newer save); nothing was overwritten."""

    exit_code = 2
    http_status = 409


class TooManyAttempts(SmartMovesError):
    """Too many failed logins for an account or from an address: refused for a while.

    The message says when to try again and nothing else, so it reveals no more about an
    account than a wrong password does.
    """

    exit_code = 2
    http_status = 429

    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after = max(1, int(retry_after_seconds))
        minutes = max(1, -(-self.retry_after // 60))
        super().__init__(
            f"too many attempts, try again in {minutes} minute{'s' if minutes != 1 else ''}"
        )


class StoreBusy(SmartMovesError):
    """Another save held the store longer than a save waits for it (an import under way,
    a deadlock PostgreSQL broke); this one was rolled back, and may simply be retried."""

    exit_code = 1
    http_status = 503
