"""Galleries: list and filter items, import (file, pasted JSON or URL) and export AutoGen Studio gallery files,
add the user's own items, copy a template into a new team, trust what an imported item executes.

Seeding the built-in gallery is `studio.services.gallery`; the file format is `gallery_files`; trust in what
items execute is `trust`. Imports are all or nothing and never store a key.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from studio import store
from studio.components import Problem
from studio.http.names import slug
from studio.store.models import Conversation, Gallery, GalleryKind, GalleryTemplate, Team
from studio.store.types import id_of

from . import teams, trust, url_fetch
from .errors import (
    InvalidTeamError,
    NotFoundError,
    ServiceError,
    find_row,
)
from .gallery import BUILT_IN, INDEX_ID, read_demo, without_tags
from .gallery_files import (
    GROUPS,
    gallery_document,
    read_gallery_file,
    read_item,
    team_type,
)
from .team_files import canonical_component

USER_GALLERY = "My gallery"


@dataclass
class ImportedGallery:
    """The gallery an import created, its items, and warnings worth showing (keys not stored)."""

    gallery: Gallery
    items: list[GalleryTemplate]
    notices: list[Problem] = field(default_factory=list)

    @property
    def unsupported(self) -> list[GalleryTemplate]:
        return [item for item in self.items if item.unsupported]


def list_galleries(db: Session) -> list[Gallery]:
    """Every gallery: the built-in one first, then the user's, then imported ones, by name."""
    order: dict[str, int] = {GalleryKind.BUILT_IN: 0, GalleryKind.USER: 1}
    return sorted(store.list_galleries(db), key=lambda g: (order.get(g.kind, 2), g.name.lower()))


def get_gallery(db: Session, gallery_id: Any) -> Gallery:
    """The gallery, or `NotFoundError`."""
    return find_row(store.get_gallery_by_id, db, gallery_id, f"No gallery with id {gallery_id}.")


def gallery_items(db: Session, *, gallery_id: int | None = None, component_type: str | None = None,
                  team_type: str | None = None, tag: str | None = None, q: str | None = None) -> list[GalleryTemplate]:
    """Items by label, filtered: `team_type` is a team's class name (`Swarm`, `GraphFlow`...), `q` searches
    label and description."""
    items = store.list_templates(db, gallery_id=gallery_id, search=q, tag=tag or None,
                                 component_type=component_type or None)
    if team_type:
        items = [i for i in items if i.component_type == "team" and item_team_type(i) == team_type]
    return items


def item_team_type(item: GalleryTemplate) -> str:
    """The team type of a team item (its provider's class name), "" for other items."""
    return team_type(item.component) if item.component_type == "team" else ""


def get_item(db: Session, item_id: Any) -> GalleryTemplate:
    """The gallery item, or `NotFoundError`."""
    return find_row(store.get_template, db, item_id, f"No gallery item with id {item_id}.")


def import_gallery(db: Session, raw: bytes | str | dict[str, Any], *, source: str = "") -> ImportedGallery:
    """Import an AutoGen Studio gallery file as a new gallery (named as in the file, made unique).

    All or nothing: `TeamImportError` lists every problem with its JSON path and saves nothing;
    `PayloadTooLargeError` over the body limit. Unsupported items are kept intact and marked; tool code
    and what else it executes is not trusted until `trust_item`.
    """
    read = read_gallery_file(raw, max_bytes=teams.max_body_bytes())
    gallery = store.upsert_gallery(db, name=_unique_name(db, read.name), source=source,
                                   description=str(read.metadata.get("description") or ""),
                                   kind=GalleryKind.IMPORTED, url=read.url, meta=read.metadata)
    keys: set[str] = set()
    items = []
    for item in read.items:
        trust.note_imported(db, item.component)
        key = _unique_key(keys, f"{item.component_type}-{slug(item.label, 'item')}")
        items.append(store.add_template(
            db, gallery_id=id_of(gallery), key=key, component=item.component, label=item.label,
            description=item.description, tags=item.tags, component_type=item.component_type,
            unsupported=item.unsupported, trusted=not trust.blocked(db, item.component)))
    return ImportedGallery(gallery, items, read.notices)


def fetch_gallery(url: str, *, timeout: float = 10.0, max_bytes: int | None = None,
                  allow_private: bool = False) -> bytes:
    """The body of a gallery file at an http(s) URL, checked to be JSON (see `url_fetch.fetch_json`: one
    deadline, a size limit, no loopback or private addresses unless `allow_private`).

    Raises `GalleryFetchError` (other scheme, a private address, or no JSON file within `timeout`: one
    message whatever went wrong) and `PayloadTooLargeError` beyond `max_bytes` (default: the body limit).
    """
    limit = teams.max_body_bytes() if max_bytes is None else max_bytes
    return url_fetch.fetch_json(url, timeout=timeout, max_bytes=limit, allow_private=allow_private)


def export_gallery(db: Session, gallery_id: Any) -> dict[str, Any]:
    """The gallery as one AutoGen Studio gallery file: items as stored (unsupported ones intact), keys masked."""
    gallery = get_gallery(db, gallery_id)
    items = store.list_templates(db, gallery_id=gallery.id)
    items.sort(key=id_of)
    tags = sorted({tag for item in items for tag in item.tags})
    metadata = {"description": gallery.description, "tags": tags, **gallery.meta}
    built_in = gallery.kind == GalleryKind.BUILT_IN
    return gallery_document(
        gallery_id=INDEX_ID if built_in else f"gallery-{slug(gallery.name, 'item')}", name=gallery.name,
        url=gallery.url, metadata=metadata, items=[(i.component_type, _exported(i)) for i in items])


def _exported(item: GalleryTemplate) -> dict[str, Any]:
    """The item's component, with its tags written beside the envelope as our gallery files carry them."""
    if item.component_type == "team" and item.tags and "tags" not in item.component:
        return {**item.component, "tags": list(item.tags)}
    return item.component


def add_to_gallery(db: Session, component: dict[str, Any], *, gallery_name: str = USER_GALLERY,
                   label: str | None = None, description: str = "", tags: tuple[str, ...] | list[str] = ()
                   ) -> GalleryTemplate:
    """Add a team or a single component to the user's gallery (created when missing), as every export writes
    it (`teams.export_component`: canonical, keys masked).

    Raises `InvalidTeamError` with every problem when the component is invalid. Its tool code stays as
    trusted as it was (code from an untrusted import stays untrusted).
    """
    if not isinstance(component, dict):
        raise InvalidTeamError([Problem("", "expected a component object ({provider, config})")],
                               "Only a component can be added to a gallery.")
    kind = str(component.get("component_type") or "")
    if kind not in GROUPS.values():
        raise InvalidTeamError([Problem("component_type", f"expected one of {', '.join(GROUPS.values())}")],
                               "Only a component can be added to a gallery.")
    item, problems = read_item(teams.export_component(without_tags(component)), kind)
    if item is None:
        raise InvalidTeamError(problems, f"The {kind} is not valid.")
    gallery = store.get_gallery(db, gallery_name) or store.upsert_gallery(
        db, name=gallery_name, description="Teams and components you added.", kind=GalleryKind.USER)
    if gallery.kind != GalleryKind.USER:
        raise ServiceError(f"{gallery_name!r} is not one of your galleries: choose another name.")
    label = " ".join((label or item.label).split())[:200] or item.label
    existing = {t.key for t in store.list_templates(db, gallery_id=gallery.id)}
    return store.add_template(
        db, gallery_id=id_of(gallery), key=_unique_key(existing, f"{kind}-{slug(label, 'item')}"), component=item.component,
        label=label, description=description or item.description, tags=[str(t) for t in tags],
        component_type=kind, unsupported=item.unsupported,
        trusted=not trust.blocked(db, item.component))


def use_template(db: Session, item_id: Any) -> Team:
    """A new team copied from a team item, with the item's label and description (no tags).

    Refuses (`ServiceError`) an item that is not a team, saying why. A team with components the engine cannot
    run is copied like any import keeps it (they stay as written, and its runs say why they refuse). A team
    copied from an untrusted item keeps its code blocked until the item is trusted.
    """
    item = get_item(db, item_id)
    if item.component_type != "team":
        raise ServiceError(f"{item.label!r} is {_article(item.component_type)}, not a team: add it to a team "
                           "in the Builder instead.")
    return teams.import_teams(db, use_template_component(item), from_outside=False).teams[0]


def use_template_component(item: GalleryTemplate) -> dict[str, Any]:
    """The component a team copied from `item` starts from: the item's, labelled as the item, no tags."""
    component = without_tags(copy.deepcopy(item.component))
    component["label"], component["description"] = item.label, item.description
    return component


def demo_conversation(db: Session, item_id: Any) -> tuple[Conversation, dict[str, Any]]:
    """`Try demo`: the template's demo team (labelled "<template> (demo)", made on the first try and reused
    while it is unchanged), a new playground session for it named "<template> demo" ("... demo 2" the
    next time), and the demo recording to run there (scripted replies: no model called); `NotFoundError`
    for a template without one."""
    item = get_item(db, item_id)
    demo = demo_of(db, item.id)
    if demo is None:
        raise NotFoundError(f"The template “{item.label}” has no demo.")
    team = _demo_team(db, item)
    taken = {conversation.name for conversation in store.list_conversations(db, team_id=team.id)}
    return store.create_conversation(db, team_id=id_of(team), name=numbered(f"{item.label} demo", taken)), demo


def numbered(name: str, taken: set[str]) -> str:
    """`name`, or "name 2", "name 3", ...: the first not in `taken`."""
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} {n}", n + 1
    return candidate


def _demo_team(db: Session, item: GalleryTemplate) -> Team:
    """The team a previous `Try demo` of `item` made, if the user has not changed it since; else a new one.

    A changed demo team is the user's now: it is left alone, and the new one gets the next free label
    ("<template> (demo 2)").
    """
    base = f"{item.label} (demo"
    labelled = sorted((t for t in teams.list_teams(db, search=base) if t.label.startswith(base)),
                      key=lambda t: t.id or 0)
    fresh, _ = canonical_component(use_template_component(item))
    for team in labelled:
        if fresh is not None and _without_names(team.component) == _without_names(fresh):
            return team
    taken, label, n = {t.label for t in labelled}, f"{base})", 2
    while label in taken:
        label, n = f"{base} {n})", n + 1
    return teams.rename_team(db, use_template(db, item.id), label=label)


def _without_names(component: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in component.items() if k not in ("label", "description")}


def trust_item(db: Session, item_id: Any, reviewed: Iterable[str]) -> GalleryTemplate:
    """Trust what the user reviewed on the item's page (`reviewed`: the digests shown, `trust.trust_reviewed`):
    it runs, in this item and in every team holding it. The item is trusted once nothing of it is blocked."""
    item = get_item(db, item_id)
    trust.trust_reviewed(db, item.component, reviewed)
    item.trusted = not trust.blocked(db, item.component)
    db.add(item)
    db.flush()
    return item


def demo_of(db: Session, item_id: Any) -> dict[str, Any] | None:
    """The item's demo recording; for a built-in item seeded before demos were stored, the shipped file's."""
    item = get_item(db, item_id)
    if item.demo is not None:
        return copy.deepcopy(item.demo)
    gallery = store.get_gallery_by_id(db, item.gallery_id)
    if gallery is not None and gallery.kind == GalleryKind.BUILT_IN and item.component_type == "team":
        from studio.settings import get_settings

        return read_demo(get_settings(), item.key)
    return None


def delete_gallery(db: Session, gallery_id: Any) -> None:
    """Delete a gallery and its items; the built-in one cannot be deleted (delete its templates instead)."""
    gallery = get_gallery(db, gallery_id)
    if gallery.kind == GalleryKind.BUILT_IN or gallery.name == BUILT_IN:
        raise ServiceError("The built-in gallery cannot be deleted.")
    store.delete_gallery(db, gallery)


def _unique_name(db: Session, name: str) -> str:
    candidate, n = name, 2
    while store.get_gallery(db, candidate) is not None:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _unique_key(taken: set[str], key: str) -> str:
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


__all__ = [
    "USER_GALLERY",
    "ImportedGallery",
    "add_to_gallery",
    "delete_gallery",
    "demo_of",
    "demo_conversation",
    "numbered",
    "export_gallery",
    "fetch_gallery",
    "gallery_items",
    "get_gallery",
    "get_item",
    "import_gallery",
    "item_team_type",
    "list_galleries",
    "trust_item",
    "use_template",
    "use_template_component",
]
