"""Errors the service layer raises on purpose; routes map them to HTTP answers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from studio.components import Problem


class ServiceError(Exception):
    """Base class: a request the service refuses, with a message fit for the user."""

    status_code = 400


class NotFoundError(ServiceError, LookupError):
    """A team or version that does not exist."""

    status_code = 404


class PayloadTooLargeError(ServiceError):
    """An upload or body over `settings.max_body_bytes`."""

    status_code = 413

    def __init__(self, size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(f"The file is too large: {_mb(size)} (the limit is {_mb(limit)}).")


class InvalidTeamError(ServiceError, ValueError):
    """A team component with errors; `problems` lists every one (warnings too), each with its JSON path."""

    status_code = 422

    def __init__(self, problems: Iterable[Problem], message: str = "The team is not valid.") -> None:
        self.problems = list(problems)
        self.message = message
        super().__init__(message + "".join(f"\n{p}" for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class TeamImportError(InvalidTeamError):
    """An import that saved nothing, and every problem found in the file."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__(problems, "Nothing was imported: the file has problems.")


class StaleTeamError(ServiceError):
    """A change of a team based on an older revision than the saved one: nothing was written.

    `current` is the saved revision (send it back after reloading the team to change it)."""

    status_code = 409

    def __init__(self, label: str, base: int | None, current: int) -> None:
        self.label, self.base, self.current = label, base, current
        self.message = (f"Not saved: “{label}” was changed elsewhere since this change began (it is now at "
                        f"revision {current}, the change was based on revision {base}). Load the saved team, "
                        "then make the change again.")
        super().__init__(self.message)


class GalleryFetchError(ServiceError):
    """A gallery URL that could not be fetched (scheme, network, timeout, status, not JSON), and why."""

    status_code = 400


T = TypeVar("T")
MAX_ROW_ID = 2**31 - 1  # the largest id or version number a row can have (PostgreSQL's INTEGER is 32-bit)


def row_id(value: Any, missing: str) -> int:
    """`value` as a row id to look up; `NotFoundError(missing)` when no row can have it (not a number, < 1,
    or too large for the database, which would otherwise fail with an error of its own)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFoundError(missing) from None
    if not 0 < number <= MAX_ROW_ID:
        raise NotFoundError(missing)
    return number


def find_row(get: Callable[[Any, int], T | None], session: Any, value: Any, missing: str) -> T:
    """The row `get(session, id)` finds for `value`, or `NotFoundError(missing)` (also for ids no row can have)."""
    row = get(session, row_id(value, missing))
    if row is None:
        raise NotFoundError(missing)
    return row


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 100_000 else f"{size:,} bytes"
