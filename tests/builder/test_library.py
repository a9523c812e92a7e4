"""The Component library: a valid template per provider, gallery components once each, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from studio.builder import library, search
from studio.builder.library import (
    GROUPS,
    builtin_items,
    gallery_items,
)
from studio.builder.library_groups import fold, fold_digest
from studio.components import load_component, providers, validate_component
from studio.store import add_template, session, upsert_gallery

from .conftest import gallery_item, template

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


# The MCP tool adapters run (issue 15) and get their palette entries with the Builder's MCP forms.
AWAITING_TEMPLATES = {f"autogen_ext.tools.mcp.{kind}McpToolAdapter" for kind in ("Stdio", "Sse", "StreamableHttp")}


def test_every_runnable_provider_of_the_five_groups_has_a_template() -> None:
    wanted = {s.provider for s in providers() if s.component_type in GROUPS and not s.unsupported}
    assert wanted - AWAITING_TEMPLATES == {item.provider for item in builtin_items()} - AWAITING_TEMPLATES


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
        add_template(db, gallery_id=gallery.id, key="b", component={**team, "label": "Second copy"})
        found = gallery_items(db)
        items = library(db)
    kinds = {item.component_type for _, item in found}
    assert {"agent", "model"} <= kinds
    assert {source for source, _ in found} == {team["label"], "Second copy"}
    keys = [fold_digest(i.component) for i in items]
    assert len(keys) == len(set(keys))
    assert len(items) > len(builtin_items())
    agents = [item for item in items if item.from_gallery and item.component_type == "agent"]
    assert {item.label for item in agents} == {p["config"]["name"] for p in team["config"]["participants"]}
    assert all(set(item.sources) == {team["label"], "Second copy"} for item in agents)  # folded: one entry, two sources
    assert all(item.source_note == "In 2 gallery templates" for item in agents)


def test_library_with_the_shipped_gallery_has_no_two_buttons_alike(engine: Engine) -> None:
    from studio.services.gallery import seed_gallery_once
    from studio.settings import Settings

    seed_gallery_once(engine, Settings(home=engine.url.database.rsplit("/", 1)[0], gallery_dir=GALLERY))
    with session(engine) as db:
        items = library(db)
    names = [i.name.casefold() for i in items]
    assert len(names) == len(set(names))
    keys = [fold_digest(i.component) for i in items]
    assert len(keys) == len(set(keys))  # nothing the gallery has twice shows twice
    assert any(i.sources for i in items if not i.from_gallery)  # and built-ins the gallery uses say so


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
    assert [i.component for i in items if i.from_gallery and i.component_type == "tool"] == [tool]
    assert not [i for i in items if i.provider.endswith("MultimodalWebSurfer")]
    assert library() == builtin_items()  # without a database: built-ins only


def test_search_finds_the_gallery_templates_a_component_is_in() -> None:
    extra = template("builtin:agent:assistant")
    items = fold(builtin_items(), [("Travel desk", gallery_item({**extra, "config": {**extra["config"], "name": "x"}}))])
    assert [i.label for i in search(items, "travel")] == ["x"]
