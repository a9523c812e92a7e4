"""Galleries: import (ours and AutoGen Studio's default), export unchanged, import errors, importing from a URL,
the user's gallery, templates into teams, tool trust, deleting. (Fetching a URL: test_url_fetch.py.)"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from studio import store
from studio.components import MASK
from studio.services import galleries, trust
from studio.services.errors import (
    InvalidTeamError,
    NotFoundError,
    PayloadTooLargeError,
    ServiceError,
    TeamImportError,
)
from studio.services.team_files import mask_secrets
from studio.store import list_teams

ROOT = Path(__file__).resolve().parents[2]
OURS = json.loads((ROOT / "gallery" / "index.json").read_text(encoding="utf-8"))
AGS = json.loads((ROOT / "tests" / "fixtures" / "autogenstudio_default_gallery.json").read_text(encoding="utf-8"))
GROUP_TYPES = {"teams": "team", "agents": "agent", "models": "model", "tools": "tool",
               "terminations": "termination", "workbenches": "workbench"}


def counts(items: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for item in items:
        found[item.component_type] = found.get(item.component_type, 0) + 1
    return found


def with_key(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of AutoGen Studio's gallery with a real-looking key in its OpenAI model."""
    document = copy.deepcopy(document)
    document["components"]["models"][0]["config"]["api_key"] = "sk-live-secret"
    return document


# --- import ----------------------------------------------------------------------------------------


def test_our_shipped_gallery_imports_with_every_team_and_component(db: Session) -> None:
    imported = galleries.import_gallery(db, json.dumps(OURS), source="index.json")
    expected = {GROUP_TYPES[g]: len(items) for g, items in OURS["components"].items() if items}
    assert counts(imported.items) == expected and expected["team"] == 12
    assert imported.unsupported == []
    assert imported.gallery.kind == "imported" and imported.gallery.name == OURS["name"]
    assert imported.gallery.meta["author"] == "Studio" and imported.gallery.source == "index.json"
    teams = [i for i in imported.items if i.component_type == "team"]
    assert all(i.tags for i in teams) and any("swarm" in i.tags for i in teams)


def test_autogen_studios_default_gallery_imports_with_unsupported_items_marked(db: Session) -> None:
    imported = galleries.import_gallery(db, AGS)
    assert counts(imported.items) == {"team": 4, "agent": 4, "model": 4, "tool": 6, "termination": 3}
    marked = {i.label: i.unsupported for i in imported.unsupported}
    assert sorted(marked) == ["Anthropic Claude-3-7", "Web Agent Team (Operator)", "Web Surfer Agent"]
    assert marked["Web Agent Team (Operator)"].startswith("config.participants[0]: ")
    assert "MultimodalWebSurfer" in marked["Web Agent Team (Operator)"]
    assert marked["Anthropic Claude-3-7"].startswith("autogen_ext.models.anthropic.AnthropicChatCompletionClient cannot "
                                                     "run here: ")
    assert all("\n" not in reason for reason in marked.values())
    web = next(i for i in imported.items if i.label == "Web Agent Team (Operator)")
    assert web.component == next(t for t in AGS["components"]["teams"] if t["label"] == web.label)


def test_export_gives_back_the_imported_components_unchanged_with_keys_masked(db: Session) -> None:
    given = with_key(AGS)
    imported = galleries.import_gallery(db, given)
    assert [n.path for n in imported.notices] == ["components.models[0].config.api_key"]
    exported = galleries.export_gallery(db, imported.gallery.id)
    assert set(exported) == {"id", "name", "url", "metadata", "components"}
    assert {g: exported["components"][g] for g in AGS["components"]} == mask_secrets(given["components"])
    assert exported["components"]["models"][0]["config"]["api_key"] == MASK
    assert "sk-live-secret" not in json.dumps(exported)
    assert exported["metadata"]["author"] == AGS["metadata"]["author"] and exported["name"] == AGS["name"]
    again = galleries.import_gallery(db, exported)  # the export imports again, with the same items
    assert [(i.label, i.unsupported) for i in again.items] == [(i.label, i.unsupported) for i in imported.items]


def test_our_gallery_exports_as_index_json(db: Session) -> None:
    imported = galleries.import_gallery(db, OURS)
    assert galleries.export_gallery(db, imported.gallery.id)["components"] == OURS["components"]


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda d: d["components"]["teams"][1]["config"].pop("participants"), "components.teams[1].config.participants"),
    (lambda d: d["components"]["agents"].__setitem__(0, "agent"), "components.agents[0]"),
    (lambda d: d["components"]["agents"].append(d["components"]["models"][0]), "components.agents[4]"),
    (lambda d: d["components"].__setitem__("tools", {"a": 1}), "components.tools"),
    (lambda d: d.pop("components"), "components"),
])
def test_import_errors_name_the_json_path_and_save_nothing(db: Session, mutate: Any, path: str) -> None:
    document = copy.deepcopy(AGS)
    mutate(document)
    with pytest.raises(TeamImportError) as caught:
        galleries.import_gallery(db, document)
    assert path in [p.path for p in caught.value.problems], caught.value.problems
    assert galleries.list_galleries(db) == [] and store.list_templates(db) == []


def test_import_refuses_bad_json_and_too_large_files(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TeamImportError, match="invalid JSON at line 1"):
        galleries.import_gallery(db, b"{nope")
    monkeypatch.setattr(galleries.teams, "max_body_bytes", lambda: 100)
    with pytest.raises(PayloadTooLargeError):
        galleries.import_gallery(db, json.dumps(AGS))
    assert galleries.list_galleries(db) == []


def test_a_second_import_of_the_same_gallery_gets_a_new_name(db: Session) -> None:
    first = galleries.import_gallery(db, AGS)
    second = galleries.import_gallery(db, AGS)
    assert second.gallery.name == f"{first.gallery.name} (2)"
    assert len(galleries.gallery_items(db, gallery_id=second.gallery.id)) == 21


# --- listing ---------------------------------------------------------------------------------------


def test_items_filter_by_type_team_type_tag_and_search(db: Session) -> None:
    ours = galleries.import_gallery(db, OURS).gallery
    galleries.import_gallery(db, AGS)
    assert len(galleries.gallery_items(db, component_type="team")) == 16
    assert len(galleries.gallery_items(db, gallery_id=ours.id, component_type="team")) == 12
    swarms = galleries.gallery_items(db, team_type="Swarm")
    assert swarms and all(galleries.item_team_type(i) == "Swarm" for i in swarms)
    graph = galleries.gallery_items(db, tag="graph")
    assert len(graph) == 3 and all(i.component_type == "team" for i in graph)
    assert [i.label for i in galleries.gallery_items(db, q="deep research")] == ["Deep Research Team"]
    with pytest.raises(NotFoundError):
        galleries.get_item(db, 999)


# --- fetching --------------------------------------------------------------------------------------


def test_fetch_gallery_returns_the_body_and_it_imports(db: Session, http_server: str) -> None:
    body = galleries.fetch_gallery(f"{http_server}/gallery.json", allow_private=True)
    imported = galleries.import_gallery(db, body, source=f"{http_server}/gallery.json")
    assert len(imported.items) == 21 and imported.gallery.source.endswith("/gallery.json")


# --- the user's gallery, templates, trust ------------------------------------------------------------


def test_add_to_gallery_creates_my_gallery_and_masks_keys(db: Session) -> None:
    team = copy.deepcopy(OURS["components"]["teams"][0])
    model = copy.deepcopy(AGS["components"]["models"][0])
    model["config"]["api_key"] = "sk-live-secret"
    item = galleries.add_to_gallery(db, team, label="My  team", tags=("mine",))
    single = galleries.add_to_gallery(db, model, description="The usual model")
    gallery = store.get_gallery(db, galleries.USER_GALLERY)
    assert gallery is not None and gallery.kind == "user"
    assert (item.label, item.tags, item.component_type, item.gallery_id) == ("My team", ["mine"], "team", gallery.id)
    assert "tags" not in item.component and item.trusted
    assert single.component_type == "model" and single.component["config"]["api_key"] == MASK
    assert single.description == "The usual model" and single.key != item.key
    assert [g.name for g in galleries.list_galleries(db)] == [galleries.USER_GALLERY]
    with pytest.raises(InvalidTeamError) as caught:
        galleries.add_to_gallery(db, {"provider": "autogen_agentchat.teams.RoundRobinGroupChat",
                                      "component_type": "team", "config": {}})
    assert [p.path for p in caught.value.errors] == ["config.participants"]


def test_use_template_creates_a_team_with_the_items_label_and_no_tags(db: Session) -> None:
    imported = galleries.import_gallery(db, OURS)
    item = next(i for i in imported.items if i.component_type == "team" and i.tags)
    team = galleries.use_template(db, item.id)
    assert (team.label, team.description) == (item.label, item.description)
    assert "tags" not in team.component and team.component["provider"] == item.component["provider"]
    assert [t.id for t in list_teams(db)] == [team.id]


def test_use_template_keeps_unsupported_parts_and_refuses_single_components(db: Session) -> None:
    imported = galleries.import_gallery(db, AGS)
    agent = next(i for i in imported.items if i.component_type == "agent")
    with pytest.raises(ServiceError, match="not a team"):
        galleries.use_template(db, agent.id)
    assert list_teams(db) == []
    web = next(i for i in imported.items if i.label == "Web Agent Team (Operator)")
    team = galleries.use_template(db, web.id)
    surfer = web.component["config"]["participants"][0]
    assert json.dumps(team.component["config"]["participants"][0]) == json.dumps(surfer)


def test_imported_tool_code_is_untrusted_until_trusted(db: Session) -> None:
    imported = galleries.import_gallery(db, AGS)
    calculator = next(i for i in imported.items if i.label == "Calculator Tool")
    assert not calculator.trusted
    code = trust.executables(calculator.component)
    assert [e.path for e in code] == [""] and "def calculator" in code[0].source_code
    assert trust.blocked(db, calculator.component) == code
    termination = next(i for i in imported.items if i.component_type == "termination")
    assert termination.trusted  # no code, nothing to trust
    assert not galleries.trust_item(db, calculator.id, ["a digest never shown"]).trusted
    assert galleries.trust_item(db, calculator.id, [e.digest for e in code]).trusted
    assert trust.blocked(db, calculator.component) == []


def test_code_of_the_built_in_gallery_stays_trusted_when_imported_again(db: Session) -> None:
    tool = OURS["components"]["tools"][0]
    trust.trust_all(db, tool)  # what seeding does
    imported = galleries.import_gallery(db, OURS)
    assert trust.blocked(db, tool) == []
    assert next(i for i in imported.items if i.component == tool).trusted


def test_demo_of_and_delete_gallery(db: Session) -> None:
    imported = galleries.import_gallery(db, AGS)
    assert galleries.demo_of(db, imported.items[0].id) is None
    built_in = store.upsert_gallery(db, name="Built-in", kind="built-in")
    demo = {"demo": True, "models": {}}
    seeded = store.add_template(db, gallery_id=built_in.id, key="x", component=OURS["components"]["teams"][0],
                                demo=demo, trusted=True)
    assert galleries.demo_of(db, seeded.id) == demo
    with pytest.raises(ServiceError, match="built-in gallery cannot be deleted"):
        galleries.delete_gallery(db, built_in.id)
    galleries.delete_gallery(db, imported.gallery.id)
    assert [g.name for g in galleries.list_galleries(db)] == ["Built-in"]
    assert store.list_templates(db, gallery_id=imported.gallery.id) == []
    with pytest.raises(NotFoundError):
        galleries.delete_gallery(db, imported.gallery.id)


def test_trying_a_demo_again_reuses_its_team_and_numbers_its_sessions(db: Session) -> None:
    from studio.services import teams as team_service

    built_in = store.upsert_gallery(db, name="Built-in", kind="built-in")
    team = OURS["components"]["teams"][0]
    item = store.add_template(db, gallery_id=built_in.id, key="demo-key", component=team, label="Travel desk",
                              demo={"demo": True, "models": {}}, trusted=True)
    first, _ = galleries.demo_conversation(db, item.id)
    second, _ = galleries.demo_conversation(db, item.id)
    assert first.team_id == second.team_id  # one demo team, not one per try
    assert (first.name, second.name) == ("Travel desk demo", "Travel desk demo 2")
    demo_team = team_service.get_team(db, first.team_id)
    assert demo_team.label == "Travel desk (demo)"
    changed = copy.deepcopy(demo_team.component)
    changed["config"]["participants"] = changed["config"]["participants"][:1]
    team_service.save_team_component(db, demo_team, changed)  # the user's now: left alone
    third, _ = galleries.demo_conversation(db, item.id)
    assert third.team_id != first.team_id and third.name == "Travel desk demo"
    assert team_service.get_team(db, third.team_id).label == "Travel desk (demo 2)"
    assert galleries.demo_conversation(db, item.id)[0].team_id == third.team_id
    assert sorted(t.label for t in list_teams(db)) == ["Travel desk (demo 2)", "Travel desk (demo)"]
