"""schemathesis against the `studio serve` app (in-process): examples generated from its OpenAPI schema,
kept few; none may get a server error (5xx)."""

from __future__ import annotations

from pathlib import Path

import schemathesis

from studio.serve import TeamCatalog, create_serve_app
from tests.web.test_api_schemathesis import no_server_errors

from .conftest import TEST_HOSTS, replay_team, write_team


def test_no_server_errors(tmp_path: Path) -> None:
    write_team(tmp_path, "echo", replay_team("Hello. TERMINATE"))
    app = create_serve_app(TeamCatalog.from_path(tmp_path), extra_hosts=TEST_HOSTS)
    checked = no_server_errors(schemathesis.openapi.from_asgi("/openapi.json", app))
    assert {"POST /teams/{name}/runs", "POST /v1/chat/completions"} <= set(checked)
