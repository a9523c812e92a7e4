"""Import keeps what it cannot run: AutoGen Studio's default gallery and a team with unsupported components
(an Anthropic model, the web surfer; beside an MCP workbench, which runs once its command is trusted) import on
the Teams page, open in the Builder with each
opaque node shown where it sits (marked, with its reason, editable as JSON), save and export with those parts
byte-equal and nothing in the file lost; every run surface refuses them, naming the node's path."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from studio.builder.draft import value_at
from studio.cli import main as cli
from studio.components import canonical_form

from .teams_support import HTMX

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AGS = json.loads((FIXTURES / "autogenstudio_default_gallery.json").read_text(encoding="utf-8"))
ANTHROPIC = "autogen_ext.models.anthropic.AnthropicChatCompletionClient"
MCP = "autogen_ext.tools.mcp.McpWorkbench"
SURFER = "autogen_ext.agents.web_surfer.MultimodalWebSurfer"
OPENAI = {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
          "config": {"model": "gpt-4o-mini"}}


def unsupported_team() -> dict[str, Any]:
    """A round robin whose writer thinks with Claude, whose researcher has an MCP workbench (a stdio server: a
    command to trust), and a web surfer."""
    claude = {"provider": ANTHROPIC, "component_type": "model", "version": 1, "component_version": 1,
              "label": "Claude", "config": {"model": "claude-3-7-sonnet-20250219", "max_tokens": 2048,
                                            "temperature": 0.5, "extra_header": {"x-note": [1, 2.5, None]}}}
    mcp = {"provider": MCP, "component_type": "workbench", "version": 1, "component_version": 1, "label": "Fetch",
           "config": {"server_params": {"type": "StdioServerParams", "command": "uvx", "args": ["mcp-server-fetch"],
                                        "env": {}, "read_timeout_seconds": 30}}}
    surfer = copy.deepcopy(AGS["components"]["teams"][2]["config"]["participants"][0])
    return {
        "provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", "label": "Mixed crew",
        "config": {"participants": [
            {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
             "config": {"name": "writer", "model_client": claude, "system_message": "Write."}},
            {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
             "config": {"name": "researcher", "model_client": OPENAI, "workbench": [mcp]}},
            surfer,
        ], "termination_condition": {"provider": "autogen_agentchat.conditions.MaxMessageTermination",
                                     "component_type": "termination", "config": {"max_messages": 6}}},
    }


OPAQUE = {  # JSON path in unsupported_team() -> (node id, provider)
    "config.participants[0].config.model_client": ("agent:writer/model", ANTHROPIC),
    "config.participants[2]": ("agent:websurfer_agent", SURFER),
}


def text(value: Any) -> str:
    """Canonical JSON text of a value (the byte-equality the round trip is about)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """Every scalar of a document by its JSON path: what "nothing in the file lost" is checked on."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in leaves(item, f"{path}.{key}").items()} or {path: {}}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in leaves(item, f"{path}[{i}]").items()} or {path: []}
    return {path: value}


def import_on_teams_page(client: TestClient, document: Any, says: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Upload on the Teams page; the page it lands on says what was kept that cannot run (`says`)."""
    before = {t["id"] for t in client.get("/api/teams").json()}
    response = client.post("/teams/import", files={"file": ("team.json", json.dumps(document), "application/json")})
    assert response.status_code == 200 and "Imported" in response.text, response.text
    for words in says:
        assert words in response.text.replace("&#34;", '"').replace("&#39;", "'")
    return [t for t in client.get("/api/teams").json() if t["id"] not in before]


def saved_and_exported(client: TestClient, team_id: int) -> dict[str, Any]:
    """Open in the Builder, make an edit elsewhere (the team's description), save, export from the Teams page."""
    assert client.get(f"/builder/{team_id}").status_code == 200
    response = client.post(f"/builder/{team_id}/properties", headers=HTMX,
                           data={"_node": "team", "description": "Edited in the builder."})
    assert response.status_code == 200
    assert client.post(f"/builder/{team_id}/save", headers=HTMX).status_code == 200
    assert client.get(f"/api/teams/{team_id}").json()["description"] == "Edited in the builder."
    return client.get(f"/teams/{team_id}/export").json()


def run_refusal(client: TestClient, team_id: int) -> tuple[int, dict[str, Any]]:
    session = client.post("/playground/sessions", data={"team_id": str(team_id), "name": "try"},
                          follow_redirects=False)
    conversation_id = int(session.headers["location"].rsplit("/", 1)[1])
    response = client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": "hi"}, headers=HTMX)
    served = client.post(f"/api/serve/teams/{team_id}/runs", json={"task": "hi"})
    return response.status_code, {"playground": response.text, "serve": served}


def test_a_team_with_unsupported_components_round_trips_and_every_run_refuses_it(client: TestClient,
                                                                                 tmp_path: Path) -> None:
    original = unsupported_team()
    [team] = import_on_teams_page(client, original, says=tuple(f"{path} ({provider.rsplit('.', 1)[1]})"
                                                               for path, (_, provider) in OPAQUE.items()))
    stored = client.get(f"/api/teams/{team['id']}").json()["component"]
    for path in OPAQUE:
        assert text(value_at(stored, path)) == text(value_at(original, path)), path

    exported = saved_and_exported(client, team["id"])
    for path in OPAQUE:
        assert json.dumps(value_at(exported, path)) == json.dumps(value_at(original, path)), path  # byte-equal
    lost = {k: v for k, v in leaves(original).items() if k != ".label" and leaves(exported).get(k) != v}
    assert lost == {}

    validated = client.get(f"/api/teams/{team['id']}/validate").json()
    assert validated["valid"] is False
    command = "config.participants[1].config.workbench[0].config.server_params"  # the MCP server it would spawn
    assert {(p["path"], p["kind"]) for p in validated["problems"] if p["severity"] == "error"} == {
        (path, "unsupported") for path in OPAQUE} | {(command, "untrusted")}
    review = client.get(f"/teams/{team['id']}/trust").text
    client.post(f"/teams/{team['id']}/trust", data={"digest": re.findall(r'name="digest" value="(\w+)"', review)})
    validated = client.get(f"/api/teams/{team['id']}/validate").json()  # trusted: what is left is what cannot run
    assert {(p["path"], p["kind"]) for p in validated["problems"] if p["severity"] == "error"} == {
        (path, "unsupported") for path in OPAQUE}
    posted = client.post("/api/validate", content=json.dumps(exported)).json()
    assert [p["path"] for p in posted["problems"]] == [p["path"] for p in validated["problems"]]

    status, refused = run_refusal(client, team["id"])
    assert status == 422
    assert "cannot run" in refused["playground"] and "config.participants[0].config.model_client" in refused[
        "playground"] and ANTHROPIC in refused["playground"]
    assert refused["serve"].status_code == 422
    detail = refused["serve"].json()["detail"]
    assert ANTHROPIC in detail["message"]
    assert [(p["path"], p["kind"]) for p in detail["problems"]] == [(path, "unsupported") for path in OPAQUE]

    file = tmp_path / "mixed.json"
    file.write_text(json.dumps(exported))
    assert cli(["run", str(file), "--task", "hi"]) == 1
    assert cli(["validate", str(file)]) == 1


def test_autogen_studios_default_gallery_round_trips_on_the_teams_page(client: TestClient) -> None:
    imported = import_on_teams_page(client, AGS, says=("this cannot run here: components.teams[2].config."
                                                       "participants[0] (MultimodalWebSurfer)",))
    assert sorted(t["label"] for t in imported) == sorted(t["label"] for t in AGS["components"]["teams"])
    web = next(t for t in imported if t["label"] == "Web Agent Team (Operator)")
    original = AGS["components"]["teams"][2]
    surfer = "config.participants[0]"
    exported = saved_and_exported(client, web["id"])
    assert json.dumps(value_at(exported, surfer)) == json.dumps(value_at(original, surfer))
    # The parts it can run come back in canonical form (the assistant's version 1 config as version 2), no more
    canonical = canonical_form(original)
    lost = {k: v for k, v in leaves(canonical).items() if k != ".description" and leaves(exported).get(k) != v}
    assert lost == {}
    status, refused = run_refusal(client, web["id"])
    assert status == 422 and "config.participants[0]" in refused["playground"] and SURFER in refused["playground"]
    for team in imported:
        if team is not web:  # the others run as they did, once what they execute is trusted
            problems = client.get(f"/api/teams/{team['id']}/validate").json()["problems"]
            assert {p["kind"] for p in problems if p["severity"] == "error"} <= {"untrusted"}, team["label"]


def test_other_errors_still_refuse_the_file_and_save_nothing(client: TestClient) -> None:
    broken = unsupported_team()
    del broken["config"]["participants"][1]["config"]["model_client"]
    response = client.post("/teams/import", data={"text": json.dumps(broken)})
    assert response.status_code == 422
    assert "config.participants[1].config.model_client" in response.text
    assert client.get("/api/teams").json() == []
    api = client.post("/api/teams/import", content=json.dumps({"components": {"teams": [unsupported_team(), broken]}}))
    assert api.status_code == 422
    assert [p["path"] for p in api.json()["detail"]["problems"] if p["severity"] == "error" and not p["kind"]] == [
        "components.teams[1].config.participants[1].config.model_client"]
    assert client.get("/api/teams").json() == []


def test_a_file_whose_top_component_is_unknown_is_refused_on_the_teams_page(client: TestClient) -> None:
    response = client.post("/teams/import", data={"text": json.dumps({"provider": "my.own.Team", "config": {}})})
    assert response.status_code == 422 and "is not a team the studio knows" in response.text


# --- the Builder ---------------------------------------------------------------------------------


@pytest.fixture
def mixed(client: TestClient) -> int:
    [team] = import_on_teams_page(client, unsupported_team())
    return int(team["id"])


def test_builder_shows_each_opaque_node_where_it_sits_with_its_reason(client: TestClient, mixed: int) -> None:
    page = client.get(f"/builder/{mixed}").text
    assert page.count('<span class="badge badge-danger">unsupported</span>') >= 2 * len(OPAQUE)  # canvas + validation
    assert "not supported by the studio (use an OpenAI-compatible endpoint)" in page  # the model's reason
    assert re.search(r'class="agent-node node opaque"[^>]*data-agent-name="websurfer_agent"', page)
    for path, (node, provider) in OPAQUE.items():
        selected = client.get(f"/builder/{mixed}/select", params={"node": node}, headers=HTMX).text
        editor = re.search(r'<textarea id="opaque-json"[^>]*>(.*?)</textarea>', selected, re.S)
        assert editor is not None, node
        assert '<label for="opaque-json">JSON of ' + path + "</label>" in selected.replace("&#34;", '"')
        shown = json.loads(editor.group(1).replace("&#34;", '"').replace("&amp;", "&").replace("&lt;", "<")
                           .replace("&gt;", ">").replace("&#39;", "'"))
        assert shown == value_at(unsupported_team(), path)
        assert f'value="{path}"' in selected and provider in selected


def test_opaque_json_is_checked_on_apply_and_nothing_applied_on_error(client: TestClient, mixed: int) -> None:
    path, (node, _) = next(iter(OPAQUE.items()))
    before = client.get(f"/api/teams/{mixed}").json()["component"]
    answer = client.post(f"/builder/{mixed}/opaque", headers=HTMX,
                         data={"node": node, "path": path, "component_json": "{not json"}).text
    assert 'id="opaque-errors"' in answer and "invalid JSON" in answer and "{not json" in answer
    wrong = {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "config": {"temperature": "hot"}}
    answer = client.post(f"/builder/{mixed}/opaque", headers=HTMX,
                         data={"node": node, "path": path, "component_json": json.dumps(wrong)}).text
    assert f"{path}.config.model" in answer and f"{path}.config.temperature" in answer
    assert client.get(f"/builder/{mixed}/export").json() == before  # nothing applied

    edited = copy.deepcopy(value_at(unsupported_team(), path))
    edited["config"]["max_tokens"] = 99
    answer = client.post(f"/builder/{mixed}/opaque", headers=HTMX,
                         data={"node": node, "path": path, "component_json": json.dumps(edited)}).text
    assert 'id="opaque-errors"' not in answer
    assert json.dumps(value_at(client.get(f"/builder/{mixed}/export").json(), path)) == json.dumps(edited)

    answer = client.post(f"/builder/{mixed}/opaque", headers=HTMX,
                         data={"node": node, "path": path, "component_json": json.dumps(OPENAI)}).text
    assert 'id="opaque-json"' not in answer and 'name="config.model"' in answer  # runnable now: its form
    assert value_at(client.get(f"/builder/{mixed}/export").json(), path)["provider"] == OPENAI["provider"]


def test_actions_elsewhere_never_rewrite_an_opaque_node(client: TestClient, mixed: int) -> None:
    def opaque_texts() -> list[str]:  # wherever they are now
        exported = client.get(f"/builder/{mixed}/export").json()
        problems = client.post("/api/validate", content=json.dumps(exported)).json()["problems"]
        paths = [p["path"] for p in problems if p["kind"] == "unsupported"]
        assert len(paths) == len(OPAQUE)
        return sorted(json.dumps(value_at(exported, path)) for path in paths)

    before = opaque_texts()
    for action in ({"type": "move_participant", "name": "websurfer_agent", "index": 0},
                   {"type": "switch_team_type", "provider": "autogen_agentchat.teams.SelectorGroupChat"},
                   {"type": "set_field", "node": "agent:researcher", "path": "config.system_message", "value": "Dig."}):
        response = client.post(f"/builder/{mixed}/actions", data={"action": json.dumps(action)}, headers=HTMX)
        assert response.status_code == 200
    assert opaque_texts() == before
    refused = client.post(f"/builder/{mixed}/actions", headers=HTMX, data={"action": json.dumps(
        {"type": "set_field", "node": "agent:websurfer_agent", "path": "config.headless", "value": False})}).text
    assert "keeps as written" in refused
    assert opaque_texts() == before


def test_an_unsupported_team_or_termination_is_marked_on_the_team_node(client: TestClient) -> None:
    magentic = json.loads((FIXTURES / "autogen" / "autogen_agentchat.teams.MagenticOneGroupChat.json").read_text())
    [team] = import_on_teams_page(client, magentic, says=("this cannot run here: the team (MagenticOneGroupChat)",))
    page = client.get(f"/builder/{team['id']}").text
    assert 'id="team-opaque"' in page and "not supported by the studio runtime yet" in page
    assert "data-agent-name=" not in page  # nothing inside it is drawn apart, or edited by a form
    assert '<label for="opaque-json">JSON of the team</label>' in page

    custom = unsupported_team()
    custom["config"]["termination_condition"] = {"provider": "my.conditions.WhenDone", "config": {"after": 3}}
    [team] = import_on_teams_page(client, custom)
    page = client.get(f"/builder/{team['id']}", params={"node": "termination"}).text
    termination = page[page.index("<dt>Termination</dt>"):page.index("<dt>Participants</dt>")]
    assert "unsupported" in termination and "unknown provider" in termination
    assert '<label for="opaque-json">JSON of config.termination_condition</label>' in page
