"""How the Component library is shown: components that are the same (same provider and config once the
provider's defaults are filled in, whatever their label) fold into one entry that remembers where the
gallery has them, every entry gets a name no other entry has, and the entries sit in one group per kind
with the built-ins first and the gallery's below."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from studio.components import canonical_form

if TYPE_CHECKING:
    from .library import LibraryItem


def fold_key(component: Any) -> Any:
    """What makes two components the same: their canonical form (the provider's defaults filled in, unknown
    keys dropped) without labels, descriptions and versions, nested components alike."""
    def bare(node: Any) -> Any:
        if isinstance(node, list):
            return [bare(n) for n in node]
        if isinstance(node, dict):
            if isinstance(node.get("provider"), str):
                return {"provider": node["provider"], "config": bare(node.get("config"))}
            return {key: bare(value) for key, value in node.items()}
        return node

    return bare(canonical_form(component))


def fold_digest(component: Any) -> str:
    return json.dumps(fold_key(component), sort_keys=True)


def fold(builtins: Iterable[LibraryItem], found: Iterable[tuple[str, LibraryItem]]) -> list[LibraryItem]:
    """The built-ins, then each component `found` in the gallery (with the label of the template it came
    from) once: a component equal to a built-in adds its template to the built-in's sources instead."""
    entries: dict[str, LibraryItem] = {}
    for item in builtins:
        entries.setdefault(fold_digest(item.component), item)
    for source, item in found:
        key = fold_digest(item.component)
        kept = entries.setdefault(key, item)
        if source not in kept.sources:
            entries[key] = replace(kept, sources=(*kept.sources, source))
    return unique_names(list(entries.values()))


def unique_names(items: list[LibraryItem]) -> list[LibraryItem]:
    """Each item's `name` (what its buttons are called): the label, and where two items share a label,
    the gallery one says where it comes from; a number only if that is not enough."""
    def name_of(item: LibraryItem) -> str:
        if shared[item.label.casefold()] < 2 or not item.from_gallery or not item.sources:
            return item.label
        more = f" and {len(item.sources) - 1} more" if len(item.sources) > 1 else ""
        return f"{item.label} (from {item.sources[0]}{more})"

    shared: dict[str, int] = {}
    for item in items:
        shared[item.label.casefold()] = shared.get(item.label.casefold(), 0) + 1
    named = [replace(item, name=name_of(item)) for item in items]
    taken: dict[str, int] = {}
    result = []
    for item in named:
        count = taken[item.name.casefold()] = taken.get(item.name.casefold(), 0) + 1
        result.append(item if count == 1 else replace(item, name=f"{item.name}, {count}"))
    return result


@dataclass(frozen=True)
class LibraryGroup:
    """One group of the library (Teams, Agents, ...): the built-ins, then those found in the gallery;
    `gallery_open` says whether the gallery's part shows unfolded."""

    kind: str
    title: str
    builtins: tuple[LibraryItem, ...]
    gallery: tuple[LibraryItem, ...]
    gallery_open: bool = False

    @property
    def items(self) -> tuple[LibraryItem, ...]:
        return self.builtins + self.gallery


def grouped(items: Iterable[LibraryItem], groups: dict[str, str], *, searched: bool = False) -> list[LibraryGroup]:
    """The non-empty groups in `groups`' order (kind -> title). Built-ins show; the gallery part is folded
    unless a group has no built-ins, or `searched` (a search opens what it found)."""
    items = list(items)
    result = []
    for kind, title in groups.items():
        builtins = tuple(i for i in items if i.component_type == kind and not i.from_gallery)
        gallery = tuple(i for i in items if i.component_type == kind and i.from_gallery)
        if builtins or gallery:
            result.append(LibraryGroup(kind, title, builtins, gallery, gallery_open=searched or not builtins))
    return result


__all__ = ["LibraryGroup", "fold", "fold_digest", "fold_key", "grouped", "unique_names"]
