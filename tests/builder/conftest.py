"""Builder fixtures: drafts made from the library's templates (the database `engine` is the suite's)."""

from __future__ import annotations

from typing import Any

import pytest

from studio.builder import Draft
from studio.builder.library import LibraryItem, _item, builtin_items, get_item
from studio.components import validate_component


def template(item_id: str) -> dict[str, Any]:
    """A fresh copy of a built-in library component, e.g. `template("builtin:agent:assistant")`."""
    item = get_item(builtin_items(), item_id)
    assert item is not None, item_id
    return item.component_copy()


def gallery_item(component: dict[str, Any], key: str = "other") -> LibraryItem:
    """`component` as the library shows one found in a gallery template."""
    return _item(f"gallery:{key}", component, from_gallery=True)


def agent(name: str) -> dict[str, Any]:
    component = template("builtin:agent:assistant")
    component["config"]["name"] = name
    return component


def handoff(target: str) -> dict[str, str]:
    """A handoff as the draft holds it: AutoGen 0.7.5's object, its defaults filled in."""
    return {"target": target, "description": f"Handoff to {target}.", "name": f"transfer_to_{target}".lower(),
            "message": f"Transferred to {target}, adopting the role of {target} immediately."}


def errors(component: dict[str, Any]) -> list[str]:
    return [str(p) for p in validate_component(component, kind="team") if p.severity == "error"]


@pytest.fixture
def round_robin() -> Draft:
    """writer and critic in a round robin, stopping on TERMINATE or 10 messages."""
    return Draft(template("builtin:team:round-robin"))


@pytest.fixture
def graph() -> Draft:
    """writer -> critic in a GraphFlow, writer the start node."""
    return Draft(template("builtin:team:graph"))


@pytest.fixture
def swarm() -> Draft:
    """writer and critic handing off to each other."""
    return Draft(template("builtin:team:swarm"))

