"""The Gallery page as data: a card per gallery item (what `gallery/_card.html` shows), the filter choices
of a gallery, and the read-only preview of an item. Pure functions of the items: the router stays thin."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from studio.builder.draft import agent_names, name_of, participants, tools_of
from studio.services.galleries import item_team_type

from .builder_view import canvas


@dataclass(frozen=True, slots=True)
class Card:
    """One gallery item as its card shows it."""

    id: int
    label: str
    description: str
    kind: str  # team | agent | model | tool | termination | workbench
    team_type: str  # the team's provider class name ("" for single components)
    agents: list[str]
    tools: list[str]
    tags: list[str]
    unsupported: str
    has_demo: bool
    needs_trust: bool


def card(item: Any, *, needs_trust: bool) -> Card:
    """The card of a gallery item; `needs_trust`: it holds imported tool code the user has not trusted."""
    component = item.component or {}
    kind = item.component_type or str(component.get("component_type") or "")
    if kind == "team":
        agents, tools = agent_names(component), [t for a in participants(component) for t in _tool_names(a)]
    elif kind == "agent":
        agents, tools = [n for n in [name_of(component)] if n], _tool_names(component)
    elif kind == "tool":
        agents, tools = [], [n for n in [name_of(component) or item.label] if n]
    else:
        agents, tools = [], []
    return Card(
        id=item.id, label=item.label, description=item.description, kind=kind,
        team_type=item_team_type(item),
        agents=agents, tools=list(dict.fromkeys(tools)), tags=list(item.tags or []),
        unsupported=item.unsupported or "", has_demo=item.demo is not None, needs_trust=needs_trust,
    )


def _tool_names(agent: dict[str, Any]) -> list[str]:
    return [n for n in (name_of(t) for t in tools_of(agent)) if n]


def filter_choices(items: list[Any]) -> dict[str, list[str]]:
    """The team types and tags of `items`, sorted: the options of the filters."""
    return {
        "team_types": sorted({t for i in items if (t := item_team_type(i))}),
        "tags": sorted({tag for i in items for tag in (i.tags or [])}, key=str.lower),
    }


def preview(item: Any) -> dict[str, Any]:
    """What the preview shows: the team's canvas (read-only; None for single components) and the JSON."""
    component = item.component or {}
    graph = canvas(component, {}) if item.component_type == "team" else None
    return {"canvas": graph, "json": json.dumps(component, indent=2, ensure_ascii=False)}


__all__ = ["Card", "card", "filter_choices", "preview"]
