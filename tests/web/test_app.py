"""The app (web/app.py): its layout, the body size limit, static files, the API docs, the local-mode guards (host
and origin) and its data across a restart. Rendering and flash messages: test_templating; errors: test_errors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from studio.settings import Settings
from studio.web import templating
from studio.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("Teams", "Builder", "Playground", "Gallery", "Settings")
HTMX = {"HX-Request": "true"}


# ---- layout -----------------------------------------------------------------------------------


def test_layout_has_the_five_sections_and_marks_the_current_one(client: TestClient) -> None:
    html = client.get("/builder").text
    nav = html[html.index("<nav"):html.index("</nav>")]
    assert re.findall(r'<a href="[^"]+"(?: aria-current="page")?>([^<]+)</a>', nav) == list(SECTIONS)
    assert re.findall(r'aria-current="page">([^<]+)<', nav) == ["Builder"]
    assert 'aria-label="Main"' in nav


def test_layout_has_skip_link_main_landmark_live_region_and_vendored_htmx(client: TestClient) -> None:
    html = client.get("/gallery").text
    assert html.index('class="skip-link" href="#main"') < html.index("<nav")  # first thing to tab to
    assert '<main id="main"' in html
    assert 'id="flash" class="flash-area" role="status" aria-live="polite"' in html
    assert f'src="/static/{templating.HTMX_JS}"' in html and f'src="/static/{templating.HTMX_SSE_JS}"' in html
    assert "<h1>Gallery</h1>" in html


def test_every_page_has_a_theme_control_whose_script_runs_before_the_first_paint(client: TestClient) -> None:
    for path in ("/teams", "/settings", "/gallery", "/playground", "/no-such-page"):
        html = client.get(path).text
        head = html[:html.index("</head>")]
        script = re.search(r'<script src="/static/js/theme\.js"([^>]*)>', head)
        assert script and "defer" not in script.group(1) and "async" not in script.group(1), path
        assert head.index("js/theme.js") < head.index("css/studio.css"), path  # before the colours apply
        assert '<label for="theme-select">Theme</label>' in html, path
        assert re.findall(r'<option value="(\w+)">', html[html.index('id="theme-select"'):]) [:3] == [
            "system", "light", "dark"], path
    assert client.get("/static/js/theme.js").status_code == 200


# ---- request size -------------------------------------------------------------------------------


def test_body_within_the_limit_is_accepted(shell: TestClient) -> None:
    assert shell.post("/api/test/body", content=b"x" * 1000).json() == {"size": 1000}


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_oversized_body_is_413_in_each_format(shell: TestClient, chunked: bool) -> None:
    def body() -> object:
        if not chunked:
            return b"x" * 1001
        return (b"x" * 400 for _ in range(3))  # no Content-Length: counted as it arrives

    api = shell.post("/api/test/body", content=body())
    assert api.status_code == 413
    assert api.json()["detail"] == "The request is too large: the limit is 1,000 bytes (setting STUDIO_MAX_BODY_BYTES)."
    page = shell.post("/test/body", content=body())
    assert page.status_code == 413 and "<!doctype html>" in page.text and "too large" in page.text
    fragment = shell.post("/test/body", content=body(), headers=HTMX)
    assert fragment.status_code == 413 and fragment.headers["HX-Retarget"] == "#flash"
    as_json = shell.post("/api/test/body", content=body(), headers={"content-type": "application/json"})
    assert as_json.status_code == 413  # read first by the strict JSON reader, still refused for its size


def test_default_limit_is_5_mb(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app()) as client:
        response = client.post("/api/teams", content=b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 413 and "5 MB" in response.json()["detail"]


# ---- static files, API docs ---------------------------------------------------------------------


def test_vendored_htmx_is_served_and_carries_its_version(client: TestClient) -> None:
    for name in (templating.HTMX_JS, templating.HTMX_SSE_JS):
        assert re.search(r"-\d+\.\d+\.\d+(\.min)?\.js$", name)
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    assert "htmx" in client.get(f"/static/{templating.HTMX_JS}").text[:2000]


def test_readme_names_the_vendored_files() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in (templating.HTMX_JS, templating.HTMX_SSE_JS, templating.SWAGGER_UI_DIR):
        assert Path(name).name in readme


def test_openapi_documents_only_the_api(shell: TestClient) -> None:
    paths = shell.get("/api/openapi.json").json()["paths"]
    assert "/api/test/number" in paths and "/api/teams" in paths  # test routes and the included routers
    assert all(path.startswith("/api/") for path in paths)
    docs = shell.get("/api/docs").text
    assert f"/static/{templating.SWAGGER_UI_DIR}/swagger-ui-bundle.js" in docs  # works offline
    assert shell.get(f"/static/{templating.SWAGGER_UI_DIR}/swagger-ui-bundle.js").status_code == 200


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/builder").headers
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


# ---- local mode: loopback host names, same-origin writes ------------------------------------------


def test_local_studio_answers_only_to_loopback_host_names(client: TestClient) -> None:
    for host in ("127.0.0.1:8081", "localhost:8081", "[::1]:8081"):
        assert client.get("/builder", headers={"Host": host}).status_code == 200
    rebound = client.get("/builder", headers={"Host": "attacker.example:8081"})
    assert rebound.status_code == 400 and "STUDIO_AUTH_TOKEN" in rebound.text


def test_testserver_is_accepted_only_when_the_app_is_told(tmp_path: Path) -> None:
    """Starlette's `Host: testserver` is an ordinary foreign host name to the studio as it runs."""
    (tmp_path / "gallery").mkdir()
    settings = Settings(home=tmp_path / "home", gallery_dir=tmp_path / "gallery", database_url=None, auth_token=None)
    with TestClient(create_app(settings)) as client:
        refused = client.get("/teams")
        assert refused.status_code == 400 and "STUDIO_AUTH_TOKEN" in refused.text and "testserver" in refused.text
        assert client.get("/teams", headers={"Host": "127.0.0.1:8081"}).status_code == 200


def test_local_studio_refuses_cross_site_writes(shell: TestClient) -> None:
    here = {"Host": "127.0.0.1:8081"}
    assert shell.post("/api/test/body", content=b"{}", headers=here).status_code == 200  # curl, scripts
    same = {**here, "Origin": "http://127.0.0.1:8081"}
    assert shell.post("/api/test/body", content=b"{}", headers=same).status_code == 200
    for foreign in ({"Origin": "https://attacker.example"}, {"Origin": "http://127.0.0.1:3000"},
                    {"Origin": "null"}, {"Referer": "https://attacker.example/page"}):
        response = shell.post("/test/body", content=b"{}", headers={**here, **foreign})
        assert response.status_code == 403 and "Cross-site request refused" in response.text
    assert shell.get("/builder", headers={**here, "Origin": "https://attacker.example"}).status_code == 200


def test_data_survives_a_restart_and_active_runs_are_marked_interrupted(make_app):
    from studio.store import runs, session, teams

    gallery_team = json.loads((ROOT / "tests" / "fixtures" / "writer-critic.json").read_text())
    with TestClient(make_app()) as client:
        engine = client.app.state.engine
        with session(engine) as db:
            team = teams.create_team(db, component=gallery_team, label="Kept")
            conversation = runs.create_conversation(db, team_id=team.id)
            active = runs.create_run(db, conversation_id=conversation.id, task="still running")
            run_id = active.id

    with TestClient(make_app()) as client:  # a new server process over the same home
        assert "Kept" in client.get("/teams").text
        with session(client.app.state.engine) as db:
            run = runs.get_run(db, run_id)
            assert run.status == "interrupted"
