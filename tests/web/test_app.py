"""The app shell: layout, rendering full pages or partials, flash messages, errors in three formats,
the body size limit, static files and the local-mode guards (host and origin)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from studio.settings import Settings
from studio.web import templating
from studio.web.app import create_app
from studio.web.templating import flash, render

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("Teams", "Builder", "Playground", "Gallery", "Settings")
HTMX = {"HX-Request": "true"}


def add_test_routes(app: FastAPI) -> None:
    """Routes that fail on purpose, flash a message, or accept a body."""

    def boom() -> None:
        raise RuntimeError("database password is hunter2")  # must never reach the client

    def flashing(request: Request) -> object:
        flash(request, "Saved <everything>", "success")
        context = {"title": "Flashed", "status_code": 200, "messages": ["part"]}
        return render(request, "errors/error.html", context, partial="errors/_error.html")

    def numbered(n: int) -> dict[str, int]:
        return {"n": n}

    async def body(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    for prefix in ("", "/api"):
        app.add_api_route(f"{prefix}/test/boom", boom)
        app.add_api_route(f"{prefix}/test/number", numbered)
        app.add_api_route(f"{prefix}/test/body", body, methods=["POST"])
    app.add_api_route("/test/flash", flashing)


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    app = make_app(max_body_bytes=1000)
    add_test_routes(app)
    with TestClient(app) as client:
        yield client


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


@pytest.mark.parametrize(("word", "plural"), [("team", "teams"), ("workbench", "workbenches"),
                                              ("termination", "terminations"), ("box", "boxes"),
                                              ("policy", "policies"), ("key", "keys")])
def test_the_plural_filter(word: str, plural: str) -> None:
    assert templating.plural(word) == plural


def test_home_redirects_to_teams(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/teams"


def test_htmx_gets_the_partial_and_flash_out_of_band(client: TestClient) -> None:
    fragment = client.get("/test/flash", headers=HTMX)
    assert "<html" not in fragment.text and 'class="flash flash-error"' in fragment.text
    assert '<div id="flash" hx-swap-oob="innerHTML">' in fragment.text
    assert "Saved &lt;everything&gt;" in fragment.text  # escaped
    assert "HX-Request" in fragment.headers["vary"]
    # Shown once: the next page has no flash left.
    assert "Saved &lt;everything&gt;" not in client.get("/builder").text


def test_full_page_shows_flash_in_the_layout_and_boosted_requests_get_the_page(client: TestClient) -> None:
    page = client.get("/test/flash", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<!doctype html>" in page.text and "hx-swap-oob" not in page.text
    flash_area = page.text[page.text.index('id="flash"'):page.text.index("<main")]
    assert "Saved &lt;everything&gt;" in flash_area


def test_flash_refuses_unknown_categories() -> None:
    with pytest.raises(ValueError, match="unknown flash category"):
        flash(None, "x", "shiny")  # type: ignore[arg-type]


# ---- errors -------------------------------------------------------------------------------------


def test_404_is_a_page_for_browsers(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "<!doctype html>" in response.text and "Not Found" in response.text
    assert all(f">{name}</a>" in response.text for name in SECTIONS)  # the page keeps the layout


def test_404_is_a_fragment_retargeted_to_the_flash_area_for_htmx(client: TestClient) -> None:
    response = client.get("/no/such/page", headers=HTMX)
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#flash" and response.headers["HX-Reswap"] == "innerHTML"
    assert "<html" not in response.text and 'role="alert"' in response.text and "Not Found" in response.text


def test_404_is_json_under_api(client: TestClient) -> None:
    response = client.get("/api/no/such/thing", headers=HTMX)
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_unexpected_error_is_logged_and_never_shows_a_traceback(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="studio.web"):
        page = client.get("/test/boom")
        fragment = client.get("/test/boom", headers=HTMX)
        api = client.get("/api/test/boom")
    assert page.status_code == fragment.status_code == api.status_code == 500
    assert "<!doctype html>" in page.text and "Internal Server Error" in page.text
    assert fragment.headers["HX-Retarget"] == "#flash" and "<html" not in fragment.text
    assert api.json() == {"detail": "Something went wrong on our side. The error has been logged; please try again."}
    for response in (page, fragment, api):
        assert "Traceback" not in response.text and "hunter2" not in response.text
    records = [r for r in caplog.records if r.name == "studio.web" and r.exc_info]
    assert len(records) == 3 and "GET /test/boom" in records[0].getMessage()
    assert "hunter2" in str(records[0].exc_info[1])


def test_validation_errors_in_each_format(client: TestClient) -> None:
    api = client.get("/api/test/number", params={"n": "many"})
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["query", "n"]
    page = client.get("/test/number", params={"n": "many"})
    assert page.status_code == 422 and "n: Input should be a valid integer" in page.text


# ---- request size -------------------------------------------------------------------------------


def test_body_within_the_limit_is_accepted(client: TestClient) -> None:
    assert client.post("/api/test/body", content=b"x" * 1000).json() == {"size": 1000}


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_oversized_body_is_413_in_each_format(client: TestClient, chunked: bool) -> None:
    def body() -> object:
        if not chunked:
            return b"x" * 1001
        return (b"x" * 400 for _ in range(3))  # no Content-Length: counted as it arrives

    api = client.post("/api/test/body", content=body())
    assert api.status_code == 413
    assert api.json()["detail"] == "The request is too large: the limit is 1,000 bytes (setting STUDIO_MAX_BODY_BYTES)."
    page = client.post("/test/body", content=body())
    assert page.status_code == 413 and "<!doctype html>" in page.text and "too large" in page.text
    fragment = client.post("/test/body", content=body(), headers=HTMX)
    assert fragment.status_code == 413 and fragment.headers["HX-Retarget"] == "#flash"
    as_json = client.post("/api/test/body", content=body(), headers={"content-type": "application/json"})
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


def test_openapi_documents_only_the_api(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/test/number" in paths and "/api/teams" in paths  # test routes and the included routers
    assert all(path.startswith("/api/") for path in paths)
    docs = client.get("/api/docs").text
    assert f"/static/{templating.SWAGGER_UI_DIR}/swagger-ui-bundle.js" in docs  # works offline
    assert client.get(f"/static/{templating.SWAGGER_UI_DIR}/swagger-ui-bundle.js").status_code == 200


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


def test_local_studio_refuses_cross_site_writes(client: TestClient) -> None:
    here = {"Host": "127.0.0.1:8081"}
    assert client.post("/api/test/body", content=b"{}", headers=here).status_code == 200  # curl, scripts
    same = {**here, "Origin": "http://127.0.0.1:8081"}
    assert client.post("/api/test/body", content=b"{}", headers=same).status_code == 200
    for foreign in ({"Origin": "https://attacker.example"}, {"Origin": "http://127.0.0.1:3000"},
                    {"Origin": "null"}, {"Referer": "https://attacker.example/page"}):
        response = client.post("/test/body", content=b"{}", headers={**here, **foreign})
        assert response.status_code == 403 and "Cross-site request refused" in response.text
    assert client.get("/builder", headers={**here, "Origin": "https://attacker.example"}).status_code == 200


def test_data_survives_a_restart_and_active_runs_are_marked_interrupted(make_app):
    from studio.store import runs, session, teams

    gallery_team = json.loads((ROOT / "tests" / "fixtures" / "writer-critic.json").read_text())
    with TestClient(make_app()) as client:
        engine = client.app.state.engine
        with session(engine) as db:
            team = teams.create_team(db, component=gallery_team, label="Kept")
            chat = runs.create_session(db, team_id=team.id)
            active = runs.create_run(db, session_id=chat.id, task="still running")
            run_id = active.id

    with TestClient(make_app()) as client:  # a new server process over the same home
        assert "Kept" in client.get("/teams").text
        with session(client.app.state.engine) as db:
            run = runs.get_run(db, run_id)
            assert run.status == "interrupted"
