"""Untrusted imported tool code is a problem wherever a saved team is validated (the Builder's Validation region,
GET /api/teams/{id}/validate), with the action that trusts it: the team's review page, which shows exactly the
code that will run and trusts only that."""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from studio.services import galleries, teams, trust
from studio.services.team_files import components_in

from .teams_support import HTMX, app_db

GALLERY = Path(__file__).resolve().parents[2] / "gallery"
TEMPLATE = json.loads((GALLERY / "teams" / "tool-assistant.json").read_text(encoding="utf-8"))


def team_from_an_imported_gallery(client: TestClient, template: dict | None = None) -> int:
    with app_db(client) as db:
        imported = galleries.import_gallery(db, {"name": "Elsewhere", "components": {"teams": [template or TEMPLATE]}})
        return int(galleries.use_template(db, imported.items[0].id).id)


def blocked_paths(client: TestClient, team_id: int) -> list[str]:
    with app_db(client) as db:
        return [e.path for e in trust.blocked(db, teams.get_team(db, team_id).component)]


def test_untrusted_code_is_a_problem_of_the_saved_team_with_its_review_page(client: TestClient) -> None:
    team_id = team_from_an_imported_gallery(client)
    paths = blocked_paths(client, team_id)
    assert paths
    validated = client.get(f"/api/teams/{team_id}/validate").json()
    assert validated["valid"] is False
    untrusted = [p for p in validated["problems"] if p["kind"] == "untrusted"]
    assert [p["path"] for p in untrusted] == paths
    assert {p["action"] for p in untrusted} == {f"/teams/{team_id}/trust"}

    builder = client.get(f"/builder/{team_id}").text
    region = builder[builder.index('id="validation"'):]
    for path in paths:
        assert f'data-path="{path}"' in region
    assert f'href="/teams/{team_id}/trust?next=/builder/{team_id}"' in region
    assert ">Review and trust the code<" in region


def test_the_review_page_shows_exactly_the_code_that_runs_and_trusting_it_lets_the_team_run(
        client: TestClient) -> None:
    team_id = team_from_an_imported_gallery(client)
    with app_db(client) as db:
        code = trust.blocked(db, teams.get_team(db, team_id).component)
    page = client.get(f"/teams/{team_id}/trust", params={"next": f"/builder/{team_id}"}).text
    shown = [html.unescape(s) for s in re.findall(r'<pre class="code" tabindex="0" aria-label="Tool code at [^"]+">'
                                                   r'(.*?)</pre>', page, re.S)]
    assert shown == [e.source_code for e in code]
    hashes = re.findall(r'name="digest" value="([0-9a-f]+)"', page)
    assert sorted(hashes) == sorted(e.digest for e in code)

    response = client.post(f"/teams/{team_id}/trust", data={"digest": hashes, "next": f"/builder/{team_id}"},
                           follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, f"/builder/{team_id}")
    assert blocked_paths(client, team_id) == []
    assert client.get(f"/api/teams/{team_id}/validate").json()["valid"] is True
    assert "nothing-to-trust" in client.get(f"/teams/{team_id}/trust").text


def test_trusting_trusts_only_the_code_shown(client: TestClient) -> None:
    team_id = team_from_an_imported_gallery(client)
    page = client.get(f"/teams/{team_id}/trust").text
    shown = re.findall(r'name="digest" value="([0-9a-f]+)"', page)
    other = copy.deepcopy(TEMPLATE)  # a second import with different code, into the same team's place
    other["label"] = "Other tools"
    for _, envelope in components_in(other):
        if "source_code" in envelope["config"]:
            envelope["config"]["source_code"] += "\n# changed\n"
    second = team_from_an_imported_gallery(client, other)
    response = client.post(f"/teams/{second}/trust", data={"digest": shown}, follow_redirects=False)
    assert response.headers["location"] == f"/teams/{second}/trust"  # not what it shows: still blocked
    assert blocked_paths(client, second) != []
    client.post(f"/teams/{team_id}/trust", data={"digest": shown}, headers=HTMX)
    assert blocked_paths(client, team_id) == []
