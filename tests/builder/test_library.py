"""The Component library: a valid template per provider, gallery components once each, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from studio.builder import library, search
from studio.builder.library import GROUPS, builtin_items, gallery_items
from studio.components import load_component, providers, validate_component
from studio.store import add_template, session, upsert_gallery

GALLERY = Path(__file__).parents[2] / "gallery"


@pytest.mark.parametrize("item", builtin_items(), ids=lambda item: item.id)
def test_every_builtin_template_validates_without_errors(item) -> None:
    problems = validate_component(item.component, kind=item.component_type)
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert item.group == GROUPS[item.component_type]
    assert item.label and item.description


def test_team_templates_load() -> None:
    for item in builtin_items():
        if item.component_type == "team":
            assert load_component(item.component) is not None


def test_every_runnable_provider_of_the_five_groups_has_a_template() -> None:
    wanted = {s.provider for s in providers() if s.component_type in GROUPS and not s.unsupported}
    assert wanted == {item.provider for item in builtin_items()}


def test_ids_are_unique_and_components_are_copied() -> None:
    items = builtin_items()
    assert len({i.id for i in items}) == len(items)
    copy_ = items[0].component_copy()
    copy_["config"].clear()
    assert items[0].component["config"]


def test_gallery_components_are_found_once(engine: Engine) -> None:
    team = json.loads((GALLERY / "teams" / "writer-critic.json").read_text())
    with session(engine) as db:
        gallery = upsert_gallery(db, name="built-in")
        add_template(db, gallery_id=gallery.id, key="a", component=team)
        add_template(db, gallery_id=gallery.id, key="b", component=team)  # the same parts again
        found = gallery_items(db)
        items = library(db)
    kinds = {item.component_type for item in found}
    assert {"agent", "model"} <= kinds
    assert all(item.description.startswith("From the gallery: ") for item in found)
    keys = [json.dumps(i.component, sort_keys=True) for i in items]
    assert len(keys) == len(set(keys))
    assert len(items) > len(builtin_items())
    agent_names = {item.label for item in items if item.id.startswith("gallery:") and item.component_type == "agent"}
    assert agent_names == {p["config"]["name"] for p in team["config"]["participants"]}


def test_search() -> None:
    items = builtin_items()
    assert [i.id for i in search(items, "ollama")] == ["builtin:model:ollama"]
    assert {i.group for i in search(items, "terminations")} == {"Terminations"}
    assert [i.id for i in search(items, "  GraphFlow  team ")] == ["builtin:team:graph"]
    assert search(items, "") == items
    assert search(items, "no such thing") == []


def test_single_gallery_components_join_and_unsupported_items_stay_out(engine: Engine) -> None:
    tool = json.loads((GALLERY / "components" / "tools" / "calculator.json").read_text())
    surfer = {"provider": "autogen_ext.agents.web_surfer.MultimodalWebSurfer", "component_type": "agent",
              "label": "Web surfer", "config": {"name": "surfer"}}
    with session(engine) as db:
        gallery = upsert_gallery(db, name="mixed")
        add_template(db, gallery_id=gallery.id, key="tools/calculator", component=tool, component_type="tool")
        add_template(db, gallery_id=gallery.id, key="surfer", component=surfer, component_type="agent",
                     unsupported="config.provider: unknown provider")
        items = library(db)
    assert [i.component for i in items if i.id.startswith("gallery:") and i.component_type == "tool"] == [tool]
    assert not [i for i in items if i.provider.endswith("MultimodalWebSurfer")]
    assert library() == builtin_items()  # without a database: built-ins only
