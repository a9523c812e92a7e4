"""Errors the service layer raises on purpose; routes map them to HTTP answers."""

from __future__ import annotations

from collections.abc import Iterable

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


class GalleryFetchError(ServiceError):
    """A gallery URL that could not be fetched (scheme, network, timeout, status, not JSON), and why."""

    status_code = 400


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 100_000 else f"{size:,} bytes"
