"""Reading team files: the shapes accepted on import, validation first, and the canonical stored form.

Accepted shapes (see `read_team_file`):
- an AutoGen team component `{"provider": ..., "config": ...}`;
- an AutoGen Studio team export or database row, the component under `"component"` (or an API answer
  wrapping that row under `"data"`);
- an AutoGen Studio gallery file `{"components": {"teams": [...]}}` (also under `"config"` or `"items"`):
  every team in it is read;
- a JSON array of any of these.

Stored components are canonical (`studio.components.canonical_form`) and never hold a secret: a key in the
file is replaced by AutoGen's mask and reported as a notice; keys live in the settings, injected at
run time (`studio.services.credentials.inject_credentials`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

from studio.components import (
    MASK,
    SECRET_FIELDS,
    SECRET_HEADERS,
    ComponentValidationError,
    Problem,
    UnsupportedComponentError,
    blocking,
    canonical_form,
    get_spec,
    load_component,
    mask_config,
    validate_component,
)
from studio.http import json_input
from studio.http.json_input import join_path

from .errors import PayloadTooLargeError, TeamImportError

KEY_NOT_STORED = "key not stored: keys are kept in Settings and added at run time"
SHAPES_HINT = (
    "expected an AutoGen team component ({provider, config}), an AutoGen Studio team export "
    "({component: {...}}) or an AutoGen Studio gallery file ({components: {teams: [...]}})"
)


@dataclass
class TeamDocument:
    """One team read from a file: its canonical component, label, description, and notices."""

    component: dict[str, Any]
    label: str
    description: str
    where: str = ""
    """The JSON path of the team inside the file (`""` when the file is the team itself)."""
    notices: list[Problem] = field(default_factory=list)

T = TypeVar("T")


def parse_json(raw: bytes | str | dict[str, Any] | list[Any], *, max_bytes: int | None = None) -> Any:
    """A parsed document; text over `max_bytes` raises `PayloadTooLargeError`, bad or hostile JSON
    (`studio.http.json_input`) `TeamImportError` naming its JSON path."""
    if isinstance(raw, (dict, list)):
        return raw
    if max_bytes is not None and len(raw) > max_bytes:
        raise PayloadTooLargeError(len(raw), max_bytes)
    if not (raw.strip() if isinstance(raw, str) else bytes(raw).strip().removeprefix(b"\xef\xbb\xbf")):
        raise TeamImportError([Problem("", "the file is empty")])
    try:
        return json_input.loads(raw)
    except json_input.JSONInputError as exc:
        raise TeamImportError([Problem(exc.path, exc.message)]) from None


def extract_teams(document: Any, prefix: str = "") -> tuple[list[tuple[str, Any]], list[Problem]]:
    """The team components in a document, each with its path in the file, or the problem why none."""
    if isinstance(document, list):
        if not document:
            return [], [Problem(prefix, "the array is empty; " + SHAPES_HINT)]
        found: list[tuple[str, Any]] = []
        problems: list[Problem] = []
        for i, item in enumerate(document):
            teams, trouble = extract_teams(item, f"{prefix}[{i}]")
            found += teams
            problems += trouble
        return found, problems
    if not isinstance(document, dict):
        return [], [Problem(prefix, SHAPES_HINT)]
    if "provider" in document:
        return [(prefix, document)], []
    if isinstance(document.get("component"), dict):
        return [(join_path(prefix, "component"), document["component"])], []
    if isinstance(document.get("data"), (dict, list)):
        return extract_teams(document["data"], join_path(prefix, "data"))
    for holder in ("components", "config.components", "items"):
        container: Any = document
        for key in holder.split("."):
            container = container.get(key) if isinstance(container, dict) else None
        if isinstance(container, dict) and "teams" in container:
            where = join_path(prefix, f"{holder}.teams")
            teams = container["teams"]
            if not isinstance(teams, list):
                return [], [Problem(where, "expected a list of team components")]
            if not teams:
                return [], [Problem(where, "this gallery file has no teams")]
            return [(f"{where}[{i}]", team) for i, team in enumerate(teams)], []
    return [], [Problem(prefix, SHAPES_HINT)]


def canonical_component(component: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The stored form of a team: validated, built once (for what only the runtime checks), then in
    canonical form with keys masked; or the problems.

    A team with opaque nodes (components the studio cannot run, `Problem.unsupported`) is not built: its only
    errors are those nodes, which its problems name, and `canonical_form` keeps them as written. Any other
    error refuses it.
    """
    problems = _unknown_root(validate_component(component, kind="team"), component)
    if blocking(problems):
        return None, problems
    if any(p.unsupported for p in problems):
        return mask_secrets(canonical_form(component)), problems
    try:
        load_component(component, kind="team")
    except ComponentValidationError as exc:
        return None, problems + [p for p in exc.problems if p not in problems]
    except UnsupportedComponentError:
        pass
    return mask_secrets(canonical_form(component)), problems


def _unknown_root(problems: list[Problem], component: dict[str, Any]) -> list[Problem]:
    """A team file's top component must be a team the studio knows: an unknown one is an error, not kept."""
    provider = component.get("provider")
    if not isinstance(provider, str) or get_spec(provider) is not None:
        return problems
    refused = f"{provider} is not a team the studio knows: import the file in the Gallery to keep it"
    return [Problem(p.path, refused) if p.unsupported and not p.path else p for p in problems]


def mask_secrets(document: T) -> T:
    """A copy of a document with every component's key (and secret header) replaced by the mask."""
    document = copy.deepcopy(document)
    for _, envelope in components_in(document):
        mask_config(envelope["config"])
    return document


_SECRET_NAMES = "|".join(re.escape(name) for name in (*SECRET_FIELDS, *sorted(SECRET_HEADERS)))
_SECRET_TEXT = re.compile(rf'("(?:{_SECRET_NAMES})"\s*:\s*)"(?:[^"\\\n]|\\.)*"?', re.IGNORECASE)


def redact_text(text: str) -> str:
    """JSON text (maybe broken) with every key's value replaced by the mask, safe to show again."""
    return _SECRET_TEXT.sub(lambda m: f'{m.group(1)}"{MASK}"', text)


def secret_notices(component: Any, prefix: str = "") -> list[Problem]:
    """A warning for every key written in a file: it is not stored."""
    notices = []
    for path, envelope in components_in(component, prefix):
        for name in SECRET_FIELDS:
            value = envelope["config"].get(name)
            if isinstance(value, str) and value and value != MASK:
                notices.append(Problem(join_path(path, f"config.{name}"), KEY_NOT_STORED, "warning"))
    return notices


def components_in(document: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """(JSON path, envelope) of every component envelope in a document (a `provider` and a `config`
    object), at any depth, outermost first."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(document, dict):
        if isinstance(document.get("provider"), str) and isinstance(document.get("config"), dict):
            found.append((path, document))
        for key, value in document.items():
            found += components_in(value, join_path(path, key if key.isidentifier() else f"[{json.dumps(key)}]"))
    elif isinstance(document, list):
        for i, value in enumerate(document):
            found += components_in(value, f"{path}[{i}]")
    return found


def label_of(component: dict[str, Any], fallback: str = "Untitled team") -> tuple[str, str]:
    """A team's label and description: the envelope's, else its config's name and description."""
    config = component.get("config")
    if not isinstance(config, dict):
        config = {}
    label = component.get("label") or config.get("name") or fallback
    description = component.get("description") or config.get("description") or ""
    return str(label).strip()[:200] or fallback, str(description)


def read_team_file(raw: bytes | str | dict[str, Any] | list[Any], *, max_bytes: int | None = None) -> list[TeamDocument]:
    """Every team in a file, validated and canonical; raises `TeamImportError` listing every problem.

    A team with opaque nodes is kept (its notices name each node, `Problem.unsupported`); any other error
    in any team fails the whole import: one invalid team in a gallery file saves nothing.
    """
    document = parse_json(raw, max_bytes=max_bytes)
    found, problems = extract_teams(document)
    teams: list[TeamDocument] = []
    for where, component in found:
        canonical, found_problems = canonical_component(component)
        found_problems = [p.at(join_path(where, p.path)) for p in found_problems]
        problems += found_problems
        if canonical is not None:
            label, description = label_of(component)
            canonical["label"] = label
            teams.append(TeamDocument(canonical, label, description, where,
                                      found_problems + secret_notices(component, where)))
    if blocking(problems) or not teams:
        raise TeamImportError(problems)
    return teams
