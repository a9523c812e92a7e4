"""`studio serve`: one team JSON file, or a folder of them, as an HTTP service without the database or the UI.

    POST /teams/{name}/runs           {"task": ...} -> the run's messages and stop reason (`"stream": true`: SSE)
    GET  /teams, GET /health
    POST /v1/chat/completions         OpenAI-compatible (model = team name), streaming too
    GET  /v1/models
    /mcp                              with `--mcp`: each team as an MCP tool (streamable HTTP)

`catalog` reads and validates the teams, `runner` runs one with the service's limits, `routes` is the HTTP
surface and `mcp_server` the MCP one (both also mounted by the studio UI under `/api/serve` for saved teams),
`app` puts them together.
"""

from __future__ import annotations

from .app import create_serve_app
from .catalog import CatalogError, ServedTeam, TeamCatalog, TeamRefused
from .runner import Busy, RunLimits, TeamRunner

__all__ = ["Busy", "CatalogError", "RunLimits", "ServedTeam", "TeamCatalog", "TeamRefused", "TeamRunner", "create_serve_app"]
