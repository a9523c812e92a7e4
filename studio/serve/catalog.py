"""The teams a service offers: read from a file or a folder, validated up front, named by file stem."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.components import Problem, get_spec, validate_component
from studio.http.names import slug


class CatalogError(Exception):
    """The teams cannot be served; `problems` says which file and JSON path, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class TeamRefused(Exception):
    """A team source will not run this team (the studio's trust gate): a 403 naming each problem."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class ServedTeam:
    name: str
    component: dict[str, Any]
    label: str = ""
    description: str = ""

    @classmethod
    def of(cls, name: str, component: dict[str, Any]) -> ServedTeam:
        """Labelled and described by the component itself."""
        return cls(name, component, str(component.get("label") or name), str(component.get("description") or ""))


class TeamCatalog:
    """Named teams, in name order; `get` returns None for an unknown name."""

    def __init__(self, teams: Iterable[ServedTeam]) -> None:
        self._teams = {team.name: team for team in sorted(teams, key=lambda t: t.name)}

    @classmethod
    def from_path(cls, path: Path) -> TeamCatalog:
        """Every `*.json` of a folder (or one file). Any invalid file refuses the whole catalog (CatalogError)."""
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if not files:
            raise CatalogError([f"{path}: no *.json team files"])
        problems: list[str] = []
        teams: list[ServedTeam] = []
        for file in files:
            try:
                component = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                problems.append(f"{file}: cannot read: {e}")
                continue
            errors = [str(p) for p in validate_component(component) if p.severity == "error"]
            spec = get_spec(str(component.get("provider"))) if not errors else None
            if spec is not None and spec.component_type not in ("team", "agent"):
                errors = [f"a {spec.component_type} is not a team or an agent: nothing to run"]
            problems += [f"{file}: {e}" for e in errors]
            if not errors:
                teams.append(ServedTeam.of(slug(file.stem, "team"), component))
        names = [t.name for t in teams]
        problems += [f"{path}: two files are served as {n!r}" for n in sorted({n for n in names if names.count(n) > 1})]
        if problems:
            raise CatalogError(problems)
        return cls(teams)

    def get(self, name: str) -> ServedTeam | None:
        return self._teams.get(name)

    def __iter__(self) -> Iterator[ServedTeam]:
        return iter(self._teams.values())

    def __len__(self) -> int:
        return len(self._teams)
