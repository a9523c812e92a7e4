"""The Teams page over HTTP: list, search partial, new, rename, duplicate, delete, import, export, versions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from studio.services import teams as service
from tests.services.helpers import (
    PLANTED_KEY,
    WRITER_CRITIC,
    canonical,
    invalid_team,
    team_with_key,
    writer_critic,
)

from ..teams_support import HTMX


def _import(client: TestClient, document: dict | None = None) -> int:
    raw = json.dumps(document or writer_critic()).encode()
    response = client.post("/teams/import", files={"file": ("team.json", raw, "application/json")})
    assert response.status_code == 200, response.text
    return int(re.findall(r'id="team-(\d+)-label"', response.text)[0])


def _article(html: str, team_id: int) -> str:
    start = html.index(f'<article id="team-{team_id}"')
    return html[start:html.index("</article>", start)]


def test_empty_list_offers_new_and_import(client: TestClient) -> None:
    html = client.get("/teams").text
    assert ">New team</a>" in html and ">Import</a>" in html
    assert "No teams yet." in html
    for name in ("Teams", "Builder", "Playground", "Gallery", "Settings"):
        assert f">{name}</a>" in html


def test_row_is_named_by_its_label_and_has_every_action(client: TestClient) -> None:
    team_id = _import(client)
    row = _article(client.get("/teams").text, team_id)
    assert f'aria-labelledby="team-{team_id}-label"' in row
    assert f'id="team-{team_id}-label" href="/teams/{team_id}">Writer and critic</a>' in row
    which = '<span class="visually-hidden">: Writer and critic</span>'  # each button names its team
    assert f'href="/builder/{team_id}">Open in Builder{which}</a>' in row
    assert f'href="/playground?team={team_id}">Open in Playground{which}</a>' in row
    assert f'href="/teams/{team_id}/export" download>Export JSON{which}</a>' in row
    for action in ("Duplicate", "Rename", "Delete"):
        assert f">{action}{which}</" in row
    assert "hx-confirm=" in row


def test_search_returns_only_the_list_partial_for_htmx(client: TestClient) -> None:
    _import(client)
    client.post("/teams", data={"label": "Research crew"})
    partial = client.get("/teams", params={"q": "research"}, headers=HTMX)
    assert partial.text.lstrip().startswith('<div id="team-list"')
    assert "<html" not in partial.text
    assert "Research crew" in partial.text and "Writer and critic" not in partial.text
    assert "No team matches “zzz”" in client.get("/teams", params={"q": "zzz"}, headers=HTMX).text
    page = client.get("/teams", params={"q": "writer"})
    assert "<html" in page.text and 'value="writer"' in page.text


def test_new_team_form_and_create(client: TestClient, db: Session) -> None:
    form = client.get("/teams/new", headers=HTMX).text
    assert 'for="new-team-label">Name</label>' in form and "<html" not in form
    response = client.post("/teams", data={"label": "My team"}, follow_redirects=False)
    assert response.status_code == 303
    assert re.fullmatch(r"/builder/\d+", response.headers["location"])  # New team opens the Builder on it
    team_id = int(response.headers["location"].rsplit("/", 1)[1])
    page = client.get(response.headers["location"]).text
    assert "Created team “My team”" in page and '>Team canvas</h2>' in page
    assert service.get_team(db, team_id).component["label"] == "My team"


def test_new_team_without_a_name_is_refused(client: TestClient) -> None:
    response = client.post("/teams", data={"label": "  "})
    assert response.status_code == 422
    assert "A team needs a name." in response.text


def test_htmx_mutations_redirect_with_hx_redirect(client: TestClient) -> None:
    response = client.post("/teams", data={"label": "Via htmx"}, headers=HTMX, follow_redirects=False)
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith("/builder/")


def test_rename_inline_and_plain(client: TestClient, db: Session) -> None:
    team_id = _import(client)
    form = client.get(f"/teams/{team_id}/rename", headers=HTMX).text
    assert 'for="rename-' in form and ">New name</label>" in form and "<html" not in form
    row = client.post(f"/teams/{team_id}/rename", data={"label": "Poets"}, headers=HTMX)
    assert row.status_code == 200
    assert f'<article id="team-{team_id}"' in row.text and ">Poets</a>" in row.text
    assert "Renamed “Writer and critic” to “Poets”" in row.text  # the flash, out of band
    page = client.post(f"/teams/{team_id}/rename", data={"label": "Bards"})
    assert "Renamed “Poets” to “Bards”" in page.text
    assert service.export_team(service.get_team(db, team_id))["label"] == "Bards"


def test_duplicate(client: TestClient) -> None:
    team_id = _import(client)
    page = client.post(f"/teams/{team_id}/duplicate").text
    assert "Duplicated “Writer and critic” as “Writer and critic (copy)”" in page
    assert page.count('class="card team-card"') == 2


def test_delete_asks_first_without_javascript(client: TestClient) -> None:
    team_id = _import(client)
    confirm = client.get(f"/teams/{team_id}/delete").text
    assert "Delete “Writer and critic”?" in confirm
    assert f'action="/teams/{team_id}/delete"' in confirm
    assert client.get("/teams").text.count('class="card team-card"') == 1
    page = client.post(f"/teams/{team_id}/delete").text
    assert "Deleted team “Writer and critic”" in page
    assert "No teams yet." in page
    assert client.get(f"/teams/{team_id}").status_code == 404


def test_import_by_paste(client: TestClient) -> None:
    page = client.post("/teams/import", data={"text": json.dumps(writer_critic())})
    assert page.status_code == 200
    assert "Imported “Writer and critic”." in page.text


def test_import_form_is_labelled(client: TestClient) -> None:
    html = client.get("/teams/import").text
    assert 'for="import-text">Team JSON</label>' in html
    assert 'for="import-file">Team file</label>' in html
    assert 'enctype="multipart/form-data"' in html


def test_invalid_import_lists_problems_and_saves_nothing(client: TestClient) -> None:
    raw = json.dumps(invalid_team())
    response = client.post("/teams/import", files={"file": ("bad.json", raw.encode(), "application/json")})
    assert response.status_code == 422
    html = response.text
    assert 'role="region" aria-labelledby="problems-heading"' in html
    assert '<code class="path">config.participants[1].config.model_client</code>' in html
    assert "config.termination_condition.config.conditions[1].config.max_messages" in html
    assert "2 errors: nothing was saved." in html
    assert "No teams yet." in client.get("/teams").text


def test_import_without_anything_says_so(client: TestClient) -> None:
    response = client.post("/teams/import", data={"text": "  "})
    assert response.status_code == 422
    assert "choose a file or paste the team" in response.text


def test_pasted_bad_json_is_kept_in_the_textarea(client: TestClient) -> None:
    response = client.post("/teams/import", data={"text": '{"provider": '})
    assert response.status_code == 422
    assert "invalid JSON at line 1" in response.text
    assert "{&#34;provider&#34;: </textarea>" in response.text


def test_gallery_file_imports_every_team(client: TestClient) -> None:
    gallery = {"components": {"teams": [writer_critic(), writer_critic() | {"label": "Second"}]}}
    page = client.post("/teams/import", data={"text": json.dumps(gallery)}).text
    assert "Imported “Writer and critic”, “Second”." in page


def test_export_download_is_the_canonical_json(client: TestClient) -> None:
    team_id = _import(client)
    response = client.get(f"/teams/{team_id}/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="writer-and-critic.json"'
    assert response.json() == canonical(writer_critic())


def test_export_of_a_canonical_file_round_trips(client: TestClient) -> None:
    document = canonical(json.loads(WRITER_CRITIC.read_text()))
    team_id = _import(client, document)
    assert client.get(f"/teams/{team_id}/export").json() == document


def test_missing_team_is_a_404_page(client: TestClient) -> None:
    response = client.get("/teams/999")
    assert response.status_code == 404
    assert "No team with id 999." in response.text


def test_oversized_upload_is_refused_with_a_clear_message(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(max_body_bytes=2048)
    with TestClient(app) as client:
        big = json.dumps(writer_critic() | {"description": "x" * 5000}).encode()
        response = client.post("/teams/import", files={"file": ("big.json", big, "application/json")})
        assert response.status_code == 413
        assert "too large" in response.text and "2 KB" in response.text
        assert "No teams yet." in client.get("/teams").text


def test_detail_page_versions_view_diff_restore(client: TestClient, db: Session) -> None:
    team_id = _import(client)
    changed = writer_critic()
    changed["config"]["participants"][0]["config"]["system_message"] = "You write limericks."
    with db.begin_nested():
        service.save_team_component(db, service.get_team(db, team_id), changed, note="limericks")
    db.commit()

    page = client.get(f"/teams/{team_id}").text
    assert "<h2 id=\"versions-heading\">Versions</h2>" in page
    assert 'aria-label="View version 1"' in page and 'aria-label="Restore version 1"' in page
    assert "You write limericks." in page  # the current JSON

    view = client.get(f"/teams/{team_id}/versions/1", headers=HTMX).text
    assert "<html" not in view and "You are a writer." in view
    diff = client.get(f"/teams/{team_id}/versions/1/diff").text
    assert 'class="diff-add">+          &#34;system_message&#34;: &#34;You write limericks.&#34;,' in diff
    assert 'class="diff-del">-' in diff

    restored = client.post(f"/teams/{team_id}/versions/1/restore").text
    assert "Restored version 1 of “Writer and critic”" in restored
    assert 'aria-label="View version 2"' in restored
    assert client.get(f"/teams/{team_id}/export").json() == canonical(writer_critic())
    assert client.get(f"/teams/{team_id}/versions/7").status_code == 404


@pytest.mark.parametrize("path", ["/teams", "/teams/new", "/teams/import"])
def test_pages_render_for_keyboard_users(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert 'tabindex="-1"' in html  # main is focusable for the skip link
    for control in re.findall(r"<(?:input|textarea)[^>]*\bid=\"([^\"]+)\"", html):
        assert f'for="{control}"' in html, f"input {control} has no label"


def test_a_paste_may_be_larger_than_a_default_form_field(client: TestClient) -> None:
    document = writer_critic() | {"description": "long " * 300_000}  # 1.5 MB, over Starlette's 1 MB default
    page = client.post("/teams/import", data={"text": json.dumps(document)})
    assert page.status_code == 200 and "Imported “Writer and critic”." in page.text


def test_a_key_in_the_file_is_not_stored_and_the_user_is_told(client: TestClient) -> None:
    page = client.post("/teams/import", data={"text": json.dumps(team_with_key())}).text
    assert "Imported “Keyed team”." in page
    assert "The file had API keys (config.participants[0].config.model_client.config.api_key); they were not " \
           "stored." in page
    assert PLANTED_KEY not in page
