"""Problems found in a component file, and the errors that carry them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Kind = Literal["", "unsupported", "untrusted"]

UNSUPPORTED: Kind = "unsupported"
"""A component the studio keeps as written but cannot run here (an *opaque node*): an unknown provider, or
one it knows but cannot build. It is an error (the team does not run), the only one an import keeps: the
problem's path is the node's, its message names the provider, why, and what to use instead."""
UNTRUSTED: Kind = "untrusted"
"""Imported code (tool code, a code executor, a command) that the user has not trusted yet (`studio.services.trust`)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, located by a JSON path relative to the top envelope (`""` is the document itself)."""

    path: str
    message: str
    severity: Severity = "error"
    kind: Kind = ""
    """"" for a mistake in the file; `UNSUPPORTED` or `UNTRUSTED` say why a valid file cannot run yet."""

    @property
    def unsupported(self) -> bool:
        """The component at `path` is an opaque node: kept verbatim, validated only as an envelope."""
        return self.kind == UNSUPPORTED

    def at(self, path: str) -> Problem:
        """The same problem at another path (made relative to an enclosing document)."""
        return Problem(path, self.message, self.severity, self.kind)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ComponentError(Exception):
    """Base class of every error this package raises on purpose."""


class ComponentValidationError(ComponentError, ValueError):
    """A component file has errors; `problems` lists all of them (warnings included, for context)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def blocking(problems: Iterable[Problem]) -> list[Problem]:
    """The errors that make a file invalid: every error except opaque nodes, which an import keeps."""
    return [p for p in problems if p.severity == "error" and not p.unsupported]


def cannot_run(label: str, errors: list[Problem]) -> str:
    """The one line every run surface gives when it refuses a team: its first error (path: message, so an
    opaque node's path and provider) and how many more."""
    if not errors:
        return f"The team {label!r} cannot run."
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"The team {label!r} cannot run: {errors[0]}{more}"


def opaque_paths(problems: Iterable[Problem]) -> list[str]:
    """The JSON paths of the opaque nodes among `problems`, in document order."""
    return [p.path for p in problems if p.unsupported]


class UnsupportedComponentError(ComponentError, NotImplementedError):
    """A valid component that the studio runtime cannot build (yet)."""

    def __init__(self, path: str, provider: str, reason: str) -> None:
        self.path, self.provider, self.reason = path, provider, reason
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{provider} {reason}")
