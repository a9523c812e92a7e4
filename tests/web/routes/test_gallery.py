"""The Gallery page: cards by their contract names, filters and the search partial, the preview, `Use template`,
`Try demo`, import (errors with JSON paths, nothing saved), export, delete, trust, and `Add to gallery`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from studio import store
from studio.services import galleries
from studio.services import teams as team_service
from tests.support.waits import wait_until

from ..teams_support import app_db, clear_credentials_env

ROOT = Path(__file__).resolve().parents[3]
HTMX = {"HX-Request": "true"}
TOOL_TEAM = {
    "provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", "label": "Imported tools",
    "config": {"participants": [{
        "provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
        "config": {"name": "helper", "model_client": {
            "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
            "config": {"model": "gpt-4o-mini"}},
            "tools": [{"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
                       "config": {"name": "shout", "description": "Upper-case a text.",
                                  "source_code": "def shout(text: str) -> str:\n    return text.upper() + '<b>'\n",
                                  "global_imports": [], "has_cancellation_support": False}}]}}],
        "termination_condition": {"provider": "autogen_agentchat.conditions.MaxMessageTermination",
                                  "component_type": "termination", "config": {"max_messages": 3}}}}


@pytest.fixture
def client(make_app, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A local studio seeded with the shipped gallery."""
    clear_credentials_env(monkeypatch)
    with TestClient(make_app(gallery_dir=ROOT / "gallery")) as client:
        yield client


def item_ids(html: str) -> dict[str, int]:
    """Card label -> item id, read from the cards' `aria-labelledby` headings."""
    return {label: int(i) for i, label in re.findall(r'<h2 class="card-title" id="item-(\d+)-label">([^<]+)</h2>', html)}


def card_of(html: str, item_id: int) -> str:
    start = html.index(f'<article id="item-{item_id}"')
    return html[start:html.index("</article>", start)]


def test_every_template_is_an_article_named_by_its_label_with_use_template(client: TestClient) -> None:
    html = client.get("/gallery").text
    ids = item_ids(html)
    assert len(ids) == 13
    tools = card_of(html, ids["Assistant with tools"])
    assert f'aria-labelledby="item-{ids["Assistant with tools"]}-label"' in tools
    for text in ("Use template", "Try demo", "Preview", "RoundRobinGroupChat", "calculator", "assistant"):
        assert text in tools
    assert re.search(r'<a[^>]*aria-current="page"[^>]*>Gallery</a>|<a href="/gallery" aria-current="page">', html)


def test_the_kind_filter_names_each_kind_in_the_plural(client: TestClient) -> None:
    html = client.get("/gallery").text
    assert ">Workbenches</option>" in html and ">Teams</option>" in html and "Workbenchs" not in html


def test_filter_by_team_type_and_tag_and_search_return_the_cards_partial(client: TestClient) -> None:
    swarm = client.get("/gallery", params={"team_type": "Swarm"}, headers=HTMX)
    assert swarm.text.lstrip().startswith('<div id="gallery-cards"')
    assert "<html" not in swarm.text
    assert list(item_ids(swarm.text)) == ["Travel desk (swarm)"]
    graph = item_ids(client.get("/gallery", params={"team_type": "GraphFlow"}, headers=HTMX).text)
    assert len(graph) == 3
    found = item_ids(client.get("/gallery", params={"q": "travel"}, headers=HTMX).text)
    assert len(found) == 1 and "travel" in next(iter(found)).lower()
    tagged = client.get("/gallery", params={"tag": "tools"}, headers=HTMX).text
    assert "Assistant with tools" in item_ids(tagged)
    assert "Nothing in the gallery matches" in client.get("/gallery", params={"q": "zzz-none"}, headers=HTMX).text


def test_the_preview_shows_the_graph_read_only_and_the_escaped_json(client: TestClient) -> None:
    ids = item_ids(client.get("/gallery", params={"team_type": "GraphFlow"}).text)
    item_id = next(i for label, i in ids.items() if "review" in label.lower())
    html = client.get(f"/gallery/items/{item_id}").text
    assert 'data-team-provider="autogen_agentchat.teams.GraphFlow"' in html
    assert "data-edge-source=" in html and "data-agent-name=" in html
    assert "hx-post" not in html.split('id="graph-heading"')[1].split('id="json-heading"')[0]  # read-only
    assert "&#34;provider&#34;" in html or "&quot;provider&quot;" in html  # the JSON, escaped
    assert client.get("/gallery/items/999999").status_code == 404


def test_use_template_creates_a_team_and_opens_the_builder(client: TestClient) -> None:
    item_id = item_ids(client.get("/gallery").text)["Assistant with tools"]
    answer = client.post(f"/gallery/items/{item_id}/use", follow_redirects=False)
    assert answer.status_code == 303
    team_id = int(answer.headers["location"].removeprefix("/builder/"))
    htmx = client.post(f"/gallery/items/{item_id}/use", headers=HTMX)
    assert htmx.headers["HX-Redirect"].startswith("/builder/")
    with app_db(client) as db:
        team = team_service.get_team(db, team_id)
        assert team.label == "Assistant with tools"
        assert team.component["config"]["participants"][0]["config"]["name"] == "assistant"


@pytest.mark.parametrize("label", ["Assistant with tools", "Assistant with an MCP server"])
def test_try_demo_makes_a_demo_team_and_runs_it_to_completion_without_a_key(client: TestClient, label: str) -> None:
    """The MCP template's demo starts the gallery's own server (trusted with the built-in gallery), offline."""
    item_id = item_ids(client.get("/gallery").text)[label]
    answer = client.post(f"/gallery/items/{item_id}/demo", follow_redirects=False)
    assert answer.status_code == 303
    location = answer.headers["location"]
    match = re.fullmatch(r"/playground/sessions/(\d+)#run-(\d+)", location)
    assert match, location
    conversation_id, run_id = map(int, match.groups())

    def finished() -> bool:
        with app_db(client) as db:
            return store.get_run(db, run_id).status != "running"

    wait_until(finished, message="the demo run never finished")
    with app_db(client) as db:
        run = store.get_run(db, run_id)
        events = store.list_events(db, run_id)
        team = team_service.get_team(db, store.get_conversation(db, conversation_id).team_id)
    assert run.status == "complete", run.stop_reason
    assert team.label == f"{label} (demo)"
    assert "ToolCallRequestEvent" in {e.type for e in events}
    assert "ErrorEvent" not in {e.type for e in events}


def test_import_errors_name_the_json_path_and_save_nothing(client: TestClient) -> None:
    before = len(client.get("/gallery").text)
    bad = {"name": "Broken", "components": {"teams": [{"provider": "autogen_agentchat.teams.RoundRobinGroupChat",
                                                       "component_type": "team", "config": {"participants": "x"}}]}}
    pasted = client.post("/gallery/import", data={"text": json.dumps(bad)})
    assert pasted.status_code == 422
    assert "components.teams[0]" in pasted.text
    uploaded = client.post("/gallery/import", files={"file": ("g.json", b"{not json", "application/json")})
    assert uploaded.status_code == 422 and "Problems in the gallery file" in uploaded.text
    empty = client.post("/gallery/import", data={"text": ""})
    assert empty.status_code == 422 and "choose a file" in empty.text
    url = client.post("/gallery/import", data={"url": "file:///etc/passwd"})
    assert url.status_code == 422 and "Only http:// and https://" in url.text
    with app_db(client) as db:
        assert [g.name for g in galleries.list_galleries(db)] == ["Built-in"]
    assert len(client.get("/gallery").text) == before


def test_import_export_trust_and_delete_a_gallery(client: TestClient) -> None:
    gallery = {"name": "Shared", "components": {"teams": [TOOL_TEAM]}}
    answer = client.post("/gallery/import", files={"file": ("shared.json", json.dumps(gallery).encode(), "application/json")})
    assert "Imported 1 team and 0 components from Shared." in answer.text
    with app_db(client) as db:
        shared = next(g for g in galleries.list_galleries(db) if g.name == "Shared")
        item = galleries.gallery_items(db, gallery_id=shared.id)[0]
    page = client.get("/gallery", params={"gallery": shared.id}).text
    assert "code not trusted yet" in card_of(page, item.id)
    assert "Export gallery" in page and "Delete gallery" in page
    preview = client.get(f"/gallery/items/{item.id}").text
    assert "Trust this code" in preview and "return text.upper() + &#39;&lt;b&gt;&#39;" in preview

    exported = client.get(f"/gallery/{shared.id}/export")
    assert exported.headers["content-disposition"] == 'attachment; filename="shared.json"'
    assert exported.json()["components"]["teams"][0]["config"] == TOOL_TEAM["config"]

    digests = re.findall(r'name="digest" value="([0-9a-f]+)"', preview)
    assert digests
    client.post(f"/gallery/items/{item.id}/trust", data={"digest": digests[1:]})  # not all it showed: still blocked
    assert "Trust this code" in client.get(f"/gallery/items/{item.id}").text
    client.post(f"/gallery/items/{item.id}/trust", data={"digest": digests})
    assert "Trust this code" not in client.get(f"/gallery/items/{item.id}").text
    assert "code not trusted yet" not in client.get("/gallery", params={"gallery": shared.id}).text

    asked = client.get(f"/gallery/{shared.id}/delete")  # without JavaScript: a page asks first
    assert "Delete the gallery “Shared”?" in asked.text and f'action="/gallery/{shared.id}/delete"' in asked.text
    assert client.get("/gallery/4242/delete").status_code == 404
    assert client.post(f"/gallery/{shared.id}/delete", headers=HTMX).headers["HX-Redirect"] == "/gallery"
    with app_db(client) as db:
        built_in = galleries.list_galleries(db)[0]
        assert [g.name for g in galleries.list_galleries(db)] == ["Built-in"]
    refused = client.post(f"/gallery/{built_in.id}/delete")
    assert "cannot be deleted" in refused.text


def test_add_to_gallery_from_the_builder_adds_the_team_and_a_single_agent(client: TestClient) -> None:
    item_id = item_ids(client.get("/gallery").text)["Assistant with tools"]
    team_id = int(client.post(f"/gallery/items/{item_id}/use", follow_redirects=False).headers["location"].split("/")[-1])
    builder = client.get(f"/builder/{team_id}").text
    assert "Add to gallery" in builder
    assert "Add to my gallery" in client.get(f"/builder/{team_id}", params={"node": "agent:assistant"}).text

    added = client.post("/gallery/add", data={"team_id": team_id}, headers=HTMX)
    assert 'hx-swap-oob' in added.text and "Added “Assistant with tools” to My gallery." in added.text
    client.post("/gallery/add", data={"team_id": team_id, "node": "agent:assistant"})
    missing = client.post("/gallery/add", data={"team_id": team_id, "node": "agent:nobody"})
    assert "Save the team first" in missing.text
    with app_db(client) as db:
        mine = next(g for g in galleries.list_galleries(db) if g.name == "My gallery")
        kinds = sorted(i.component_type for i in galleries.gallery_items(db, gallery_id=mine.id))
    assert kinds == ["agent", "team"]
    assert "My gallery" in client.get("/gallery").text  # the gallery selector appears
