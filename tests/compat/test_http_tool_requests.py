"""HttpTool in AutoGen 0.7.5 and in Studio, from the same config and arguments: the same schema for the model,
the same request at the loopback server, the same result text, the same validation errors.

AutoGen's HttpTool needs `json_schema_to_pydantic` (autogen-ext's http-tool extra, part of the compat extra)."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("autogen_ext.tools.http", reason="needs AutoGen 0.7.5 with its http-tool extra: "
                    "pip install -e '.[compat]'", exc_type=ImportError)

from autogen_core import CancellationToken as AutogenToken  # noqa: E402
from autogen_core.tools import StaticWorkbench as AutogenWorkbench  # noqa: E402
from autogen_ext.tools.http import HttpTool as AutogenHttpTool  # noqa: E402

from studio.components import load_component  # noqa: E402
from studio.runtime.tools import StaticWorkbench  # noqa: E402
from tests.support.echo_server import echo_server  # noqa: E402

pytestmark = pytest.mark.compat

SCHEMAS = {
    "flat": {"type": "object", "properties": {"city": {"type": "string", "description": "The city."},
                                              "days": {"type": "integer", "minimum": 1}}, "required": ["city"]},
    "rich": {"type": "object", "required": ["tags"], "properties": {
        "tags": {"type": "array", "items": {"type": "string"}}, "n": {"type": "number", "default": 2.5},
        "ok": {"type": "boolean"}, "opt": {"type": ["string", "null"]}, "unit": {"type": "string", "enum": ["c", "f"]},
        "inner": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]},
        "free": {"type": "object"}}},
}
CALLS = [
    ("flat", "GET", "/forecast/{city}", "text", {"city": "New York", "days": "3"}),
    ("flat", "GET", "/forecast", "text", {"city": "Oslo"}),
    ("flat", "DELETE", "/forecast/{city}", "text", {"city": "Rome"}),
    ("flat", "POST", "/forecast", "json", {"city": "Oslo", "days": 2}),
    ("flat", "PUT", "/at/{city}", "text", {"city": "Paris"}),
    ("rich", "PATCH", "/rich", "json", {"tags": ["a", "b"], "inner": {"x": "3"}, "unit": "f", "free": {"k": [1]}}),
    ("flat", "POST", "/forecast", "text", {"days": 0}),
    ("rich", "POST", "/rich", "text", {"tags": "nope", "unit": "k"}),
]


def config(port: int, schema: str, method: str, path: str, return_type: str) -> dict[str, Any]:
    return {"name": "forecast", "description": "The forecast.", "scheme": "http", "host": "127.0.0.1", "port": port,
            "path": path, "method": method, "headers": {"X-Test": "yes"}, "json_schema": SCHEMAS[schema],
            "return_type": return_type, "timeout": 5.0}


def _request(seen: dict[str, Any]) -> dict[str, Any]:
    headers = {k: v for k, v in seen["headers"].items() if k not in ("host", "user-agent")}
    return {**seen, "headers": headers}


@pytest.mark.parametrize("schema, method, path, return_type, args", CALLS)
async def test_the_same_request_and_result(schema, method, path, return_type, args) -> None:
    with echo_server() as server:
        data = config(server.port, schema, method, path, return_type)
        theirs = AutogenHttpTool(**data)
        ours = load_component({"provider": "autogen_ext.tools.http.HttpTool", "config": data})
        assert json.loads(json.dumps(ours.schema)) == json.loads(json.dumps(theirs.schema))
        their_result = await AutogenWorkbench([theirs]).call_tool("forecast", args, AutogenToken())
        our_result = await StaticWorkbench([ours]).call_tool("forecast", args)
        requests = [_request(seen) for seen in server.requests]
    assert (our_result.content, our_result.is_error) == (their_result.to_text(), their_result.is_error)
    assert len(requests) in (0, 2) and requests[:1] == requests[1:]
