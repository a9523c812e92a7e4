"""Problems found in a component file, and the errors that carry them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding, located by a JSON path relative to the top envelope (`""` is the document itself)."""

    path: str
    message: str
    severity: Severity = "error"

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


class UnsupportedComponentError(ComponentError, NotImplementedError):
    """A valid component that the studio runtime cannot build (yet)."""

    def __init__(self, path: str, provider: str, reason: str) -> None:
        self.path, self.provider, self.reason = path, provider, reason
        where = f"{path}: " if path else ""
        super().__init__(f"{where}{provider} {reason}")
