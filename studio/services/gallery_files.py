"""AutoGen Studio's gallery file format, read and written: `{id, name, url, metadata, components{teams, agents,
models, tools, terminations, workbenches}}`.

Reading checks every item (errors name their JSON path in the file). An item the engine cannot run (an
unknown provider such as the web surfer, a client Studio does not support, a team whose participant is one:
an opaque node, `Problem.unsupported`, as on the Teams page) is kept exactly as given, with a one-line
`unsupported` reason. Keys are always masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studio.components import (
    ComponentValidationError,
    Problem,
    UnsupportedComponentError,
    blocking,
    get_spec,
    load_component,
    validate_component,
)
from studio.http.json_input import join_path

from .errors import TeamImportError
from .gallery import template_tags
from .team_files import label_of, mask_secrets, parse_json, secret_notices

GROUPS = {"teams": "team", "agents": "agent", "models": "model", "tools": "tool",
          "terminations": "termination", "workbenches": "workbench"}
"""Gallery file group -> component type, in AutoGen Studio's order."""
GROUP_OF = {kind: group for group, kind in GROUPS.items()}
METADATA_KEYS = ("author", "version", "description", "tags", "license", "homepage", "category")


@dataclass
class GalleryItem:
    """One component read from a gallery file: masked as given, its type, label and why it cannot run."""

    component: dict[str, Any]
    component_type: str
    label: str
    description: str
    tags: list[str]
    unsupported: str = ""
    where: str = ""
    """The item's JSON path in the file, e.g. `components.teams[2]`."""


@dataclass
class GalleryFile:
    """A gallery file's header and its items, in file order; `notices` are warnings (keys not stored)."""

    name: str
    url: str
    metadata: dict[str, Any]
    items: list[GalleryItem]
    notices: list[Problem] = field(default_factory=list)


def read_gallery_file(raw: bytes | str | dict[str, Any], *, max_bytes: int | None = None) -> GalleryFile:
    """Every item of a gallery file; raises `TeamImportError` listing every problem (with JSON paths)."""
    document = parse_json(raw, max_bytes=max_bytes)
    if not isinstance(document, dict):
        raise TeamImportError([Problem("", "expected an AutoGen Studio gallery file: an object with "
                                           "{id, name, metadata, components}")])
    components = document.get("components")
    if not isinstance(components, dict):
        raise TeamImportError([Problem("components", "expected an object with lists of teams, agents, models, "
                                                     "tools, terminations and workbenches")])
    problems: list[Problem] = []
    notices: list[Problem] = []
    items: list[GalleryItem] = []
    for group, kind in GROUPS.items():
        entries = components.get(group, [])
        if not isinstance(entries, list):
            problems.append(Problem(f"components.{group}", "expected a list of components"))
            continue
        for i, component in enumerate(entries):
            where = f"components.{group}[{i}]"
            item, found = read_item(component, kind, where)
            problems += found
            if item is not None:
                items.append(item)
                notices += secret_notices(component, where)
    problems += _header_problems(document)
    if any(p.severity == "error" for p in problems):
        raise TeamImportError([p for p in problems if p.severity == "error"])
    if not items:
        raise TeamImportError([Problem("components", "this gallery file has no components")])
    name = document.get("name")
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    return GalleryFile(
        name=" ".join(name.split())[:200] if isinstance(name, str) and name.strip() else "Imported gallery",
        url=document.get("url") or "",
        metadata=mask_secrets(metadata),
        items=items,
        notices=notices,
    )


def read_item(component: Any, kind: str, where: str = "") -> tuple[GalleryItem | None, list[Problem]]:
    """One component of type `kind`, or the problems (paths joined to `where`) that make it invalid."""
    if not isinstance(component, dict):
        return None, [Problem(where, f"expected {kind} component object ({{provider, config}})")]
    problems = validate_component(component, kind=kind)
    if blocking(problems):
        return None, [p.at(join_path(where, p.path)) for p in blocking(problems)]
    unsupported = [p for p in problems if p.unsupported]
    reason = str(unsupported[0]) if unsupported else _load_problem(component, kind)
    if isinstance(reason, list):
        return None, [Problem(join_path(where, p.path), p.message) for p in reason]
    fallback = _short_name(component.get("provider")) or kind.capitalize()
    label, description = label_of(component, fallback)
    return GalleryItem(mask_secrets(component), kind, label, description, template_tags(component),
                       reason, where), []


def _load_problem(component: dict[str, Any], kind: str) -> str | list[Problem]:
    """"" if the engine can build the component; the reason when it cannot; problems when it is invalid."""
    try:
        load_component(component, kind=kind)
    except UnsupportedComponentError as exc:
        return str(exc).splitlines()[0]
    except ComponentValidationError as exc:
        return exc.errors
    return ""


def _header_problems(document: dict[str, Any]) -> list[Problem]:
    problems = []
    if "name" in document and not isinstance(document["name"], str):
        problems.append(Problem("name", "expected a string"))
    if document.get("url") is not None and not isinstance(document["url"], str):
        problems.append(Problem("url", "expected a string or null"))
    if "metadata" in document and not isinstance(document["metadata"], dict):
        problems.append(Problem("metadata", "expected an object (author, version, description, tags, ...)"))
    return problems


def _short_name(provider: Any) -> str:
    if not isinstance(provider, str):
        return ""
    spec = get_spec(provider)
    return spec.name if spec is not None else provider.rsplit(".", 1)[-1]


def team_type(component: dict[str, Any]) -> str:
    """A team's type as the gallery filters it: its provider's class name (`Swarm`, `GraphFlow`, ...)."""
    return _short_name(component.get("provider"))


def gallery_document(*, gallery_id: str, name: str, url: str, metadata: dict[str, Any],
                     items: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """An AutoGen Studio gallery file from (component type, component) pairs, keys masked."""
    components: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUPS}
    for kind, component in items:
        components[GROUP_OF.get(kind, "teams")].append(component)
    meta = {"author": "", "version": "1.0.0", "description": "", "tags": [], "license": "",
            "homepage": None, "category": "", **metadata}
    return mask_secrets({"id": gallery_id, "name": name, "url": url or None, "metadata": meta,
                         "components": components})


__all__ = ["GROUPS", "GalleryFile", "GalleryItem", "gallery_document", "read_gallery_file", "read_item",
           "team_type"]
