"""HttpTool (runtime/tools/http_tool.py) against a loopback server: arguments mapped to the path, the query or a
JSON body as AutoGen maps them, headers reading variables, the reply as text or JSON, and every failure (timeout,
size limit, refused connection, bad arguments or JSON) an error result that says what happened."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from studio.components import dump_component, load_component, validate_component
from studio.runtime.cancellation import CancellationToken
from studio.runtime.tools.http_tool import HttpTool
from tests.support.echo_server import EchoServer, echo_server
from tests.support.waits import until

HTTP_TOOL = "autogen_ext.tools.http.HttpTool"
SCHEMA = {"type": "object", "properties": {"city": {"type": "string", "description": "The city."},
                                           "days": {"type": "integer"}}, "required": ["city"]}
TOKEN = "tok-secret-0123456789"


@pytest.fixture
def server() -> Iterator[EchoServer]:
    with echo_server() as running:
        yield running


def document(port: int, **config: Any) -> dict[str, Any]:
    return {"provider": HTTP_TOOL, "config": {"name": "forecast", "description": "The forecast.", "host": "127.0.0.1",
                                              "port": port, "json_schema": SCHEMA, **config}}


async def call(tool: HttpTool, **args: Any) -> tuple[str, bool]:
    result = await tool.run_json(args, CancellationToken(), call_id="c1")
    return result.content, result.is_error


@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_get_and_delete_send_path_parameters_in_the_path_and_the_rest_as_query(server, method) -> None:
    tool = load_component(document(server.port, method=method, path="/forecast/{city}"))
    content, is_error = await call(tool, city="New York", days="3")
    seen = json.loads(content)
    assert not is_error and server.requests == [seen]
    assert (seen["method"], seen["path"], seen["query"], seen["body"]) == (method, "/forecast/New%20York",
                                                                         {"days": ["3"]}, None)


async def test_optional_arguments_left_out_are_sent_as_null_as_autogen_does(server) -> None:
    get = load_component(document(server.port, method="GET"))
    await call(get, city="Oslo")
    assert server.requests[-1]["query"] == {"city": ["Oslo"], "days": [""]}
    post = load_component(document(server.port))  # POST is the default
    await call(post, city="Oslo")
    assert (server.requests[-1]["method"], server.requests[-1]["body"]) == ("POST", {"city": "Oslo", "days": None})


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
async def test_post_put_and_patch_send_a_json_body(server, method) -> None:
    tool = load_component(document(server.port, method=method, path="/at/{city}/x"))
    await call(tool, city="Rome", days=2)
    seen = server.requests[-1]
    assert (seen["method"], seen["path"], seen["body"]) == (method, "/at/Rome/x", {"days": 2})
    assert seen["headers"]["content-type"] == "application/json"


async def test_headers_read_declared_variables_whose_values_never_reach_the_result(server) -> None:
    tool = load_component(document(server.port, headers={"Authorization": "Bearer ${API_TOKEN}", "X-Plain": "p"},
                                   variables=["API_TOKEN"], variable_values={"API_TOKEN": TOKEN, "OTHER": "x"}))
    content, is_error = await call(tool, city="Oslo")
    assert server.requests[-1]["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert server.requests[-1]["headers"]["x-plain"] == "p"
    assert not is_error and TOKEN not in content and "Bearer **********" in content  # the echo, masked
    dumped = dump_component(tool)
    assert dumped["config"]["headers"]["Authorization"] == "Bearer ${API_TOKEN}" and TOKEN not in json.dumps(dumped)


async def test_a_missing_variable_is_a_clear_error_and_nothing_is_sent(server) -> None:
    tool = load_component(document(server.port, headers={"Authorization": "Bearer ${API_TOKEN}"},
                                   variables=["API_TOKEN"]))
    assert await call(tool, city="Oslo") == (
        "Tool 'forecast' needs the variable API_TOKEN: add it under Variables for tools in Settings", True)
    assert server.requests == []


async def test_the_reply_is_the_body_as_text_whatever_the_status_or_as_json_written_by_python(server) -> None:
    text = load_component(document(server.port, path="/text", method="GET"))
    assert await call(text, city="x") == ("plain text, caf\u00e9", False)
    missing = load_component(document(server.port, path="/status/404", method="GET"))
    content, is_error = await call(missing, city="x")
    assert not is_error and json.loads(content)["path"] == "/status/404"
    as_json = load_component(document(server.port, path="/p", method="GET", return_type="json"))
    content, _ = await call(as_json, city="x")
    assert content.startswith("{'method': 'GET', 'path': '/p'")  # str() of the parsed value, as AutoGen returns it
    not_json = load_component(document(server.port, path="/text", method="GET", return_type="json"))
    content, is_error = await call(not_json, city="x")
    assert is_error and content.startswith(f"The response of {server.url}/text is not JSON: Expecting value")


async def test_arguments_are_validated_by_the_schema_with_autogens_errors(server) -> None:
    tool = load_component(document(server.port))
    content, is_error = await call(tool, days="many")
    assert is_error and content.startswith("2 validation errors for DynamicModel\ncity\n  Field required")
    assert server.requests == []


async def test_a_path_parameter_that_is_no_argument_is_an_error(server) -> None:
    tool = load_component(document(server.port, path="/{country}/{city}"))
    assert await call(tool, city="Oslo") == (
        "The path '/{country}/{city}' names 'country', which is not an argument of the tool.", True)


async def test_a_response_past_the_size_limit_is_a_clear_error(server) -> None:
    tool = load_component(document(server.port, path="/big/5000", method="GET", max_response_bytes=4096))
    content, is_error = await call(tool, city="x")
    assert is_error and content == (f"The response of {server.url}/big/5000 is larger than the 4,096-byte limit of "
                                    "tool 'forecast' (max_response_bytes).")
    within = load_component(document(server.port, path="/big/4096", method="GET", max_response_bytes=4096))
    assert await call(within, city="x") == ("x" * 4096, False)


async def test_a_server_that_does_not_answer_in_time_is_a_timeout_error(server) -> None:
    tool = load_component(document(server.port, path="/hang", method="GET", timeout=0.2))
    assert await call(tool, city="x") == (f"The request to {server.url}/hang timed out after 0.2 s.", True)


async def test_a_refused_connection_is_an_error_result() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    content, is_error = await call(load_component(document(port)), city="x")
    assert is_error and content.startswith(f"The request to http://127.0.0.1:{port}/ failed: ")


async def test_cancelling_the_token_stops_the_request(server) -> None:
    tool = load_component(document(server.port, path="/hang", method="GET", timeout=60))
    token = CancellationToken()
    running = asyncio.ensure_future(tool.run_json({"city": "x"}, token))
    await until(lambda: server.requests)
    token.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running


def test_the_schema_is_autogens_pydantic_schema_of_the_json_schema() -> None:
    tool = load_component(document(80))
    assert tool.schema == {"name": "forecast", "description": "The forecast.", "strict": False, "parameters": {
        "type": "object", "required": ["city"], "additionalProperties": False, "properties": {
            "city": {"description": "The city.", "title": "City", "type": "string"},
            "days": {"default": None, "title": "Days", "type": "integer"}}}}


def test_config_problems_are_reported_at_their_json_paths() -> None:
    found = validate_component(document(0, headers={"Authorization": "Bearer ${API_TOKEN}"},
                                        json_schema={"type": "object", "properties": {"x": {"type": "date"}}}))
    assert {(p.path, p.message) for p in found if p.severity == "error"} == {
        ("config.port", "input should be greater than or equal to 1"),
        ("config.json_schema", "property 'x': unsupported type 'date'"),
        ("config.variables", "header 'Authorization' reads ${API_TOKEN}: add API_TOKEN to variables"),
    }


def test_autogens_config_round_trips_and_studios_fields_are_kept() -> None:
    config = {"name": "forecast", "description": "d", "scheme": "https", "host": "h", "port": 443, "path": "/x",
              "method": "GET", "headers": None, "json_schema": SCHEMA, "return_type": "json", "timeout": 2.5}
    assert dump_component(load_component({"provider": HTTP_TOOL, "config": config}))["config"] == config
    studio = {**config, "headers": {"A": "${K}"}, "variables": ["K"], "max_response_bytes": 10}
    assert dump_component(load_component({"provider": HTTP_TOOL, "config": studio}))["config"] == studio
