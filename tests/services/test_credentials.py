"""Credentials: bound to endpoints, injected into a copy of a team only where the endpoint matches, the
environment under the same rule, encryption at rest, variables for tools."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import text
from sqlmodel import Session

from studio.components import MASK, load_component
from studio.services.credentials import (
    CredentialError,
    inject_credentials,
    load_credentials,
    masked,
    referenced_variables,
    remove_credential,
    save_credential,
    save_default_model,
    save_variable,
)

from .helpers import assistant, azure_client, openai_client, round_robin

KEY = "sk-stored-key-1234567890abcd"
LOCAL = "http://localhost:11434/v1"
ENV = {"OPENAI_API_KEY": "sk-from-env-99990000wxyz", "AZURE_OPENAI_API_KEY": "azure-env-key-000111",
       "AZURE_OPENAI_ENDPOINT": "https://env.azure/"}


def _configs(team: dict) -> list[dict]:
    return [p["config"]["model_client"]["config"] for p in team["config"]["participants"]]


def test_masked() -> None:
    assert masked("sk-proj-abcdefghijklmnop1234") == "sk-…1234"
    assert masked("0123456789abcdef") == "…cdef"
    assert masked("short") == "…"
    assert masked(None) == masked("") == ""


def test_nothing_set(db: Session) -> None:
    creds = load_credentials(db, environ={})
    assert creds.keys == () and creds.variables == () and creds.default_model.source == "unset"


def test_a_saved_key_is_stored_with_its_normalised_endpoint(db: Session) -> None:
    saved = save_credential(db, "openai_compatible", "HTTP://LocalHost:11434/v1/", KEY)
    assert saved.endpoint == LOCAL
    openai = save_credential(db, "openai", "", "sk-openai-key-0000")
    assert openai.endpoint == "https://api.openai.com/v1"
    save_credential(db, "openai_compatible", LOCAL, "sk-replaced-key-1111")  # same endpoint: replaced
    creds = load_credentials(db, environ={})
    assert [(k.kind.name, k.endpoint, k.value) for k in creds.saved] == [
        ("openai", "https://api.openai.com/v1", "sk-openai-key-0000"),
        ("openai_compatible", LOCAL, "sk-replaced-key-1111")]
    assert KEY not in repr(creds) and "sk-replaced-key-1111" not in repr(creds)
    assert remove_credential(db, saved.id).endpoint == LOCAL
    assert remove_credential(db, saved.id) is None
    assert [k.kind.name for k in load_credentials(db, environ={}).saved] == ["openai"]


@pytest.mark.parametrize(("kind", "endpoint", "key", "field"), [
    ("nope", LOCAL, KEY, "kind"),
    ("openai_compatible", "", KEY, "endpoint"),
    ("openai_compatible", "localhost:11434", KEY, "endpoint"),
    ("openai_compatible", "https://user:pw@host/v1", KEY, "endpoint"),
    ("openai", "https://elsewhere.example/v1", KEY, "endpoint"),  # OpenAI's API has one URL
    ("openai_compatible", LOCAL, "  ", "api_key"),
    ("openai_compatible", LOCAL, "sk-with space", "api_key"),
])
def test_bad_credentials_are_refused_naming_the_field(db: Session, kind: str, endpoint: str, key: str,
                                                      field: str) -> None:
    with pytest.raises(CredentialError) as info:
        save_credential(db, kind, endpoint, key)
    assert info.value.field == field and str(info.value).startswith(field)
    assert KEY not in str(info.value)


def test_keys_are_encrypted_at_rest(db: Session) -> None:
    save_credential(db, "openai_compatible", LOCAL, KEY)
    save_variable(db, "SERPAPI_KEY", "serp-secret-value-42")
    db.flush()
    raw = json.dumps([list(map(str, r)) for t in ("credential", "secret")
                      for r in db.exec(text(f"SELECT * FROM {t}")).fetchall()])  # type: ignore[call-overload]
    assert KEY not in raw and "serp-secret-value-42" not in raw and raw.count("fernet:") == 2
    creds = load_credentials(db, environ={})
    assert creds.saved[0].value == KEY and creds.variable_values() == {"SERPAPI_KEY": "serp-secret-value-42"}


def test_environment_keys_are_listed_bound_as_the_runtime_binds_them(db: Session) -> None:
    creds = load_credentials(db, environ=ENV | {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"})
    assert [(k.kind.name, k.endpoint, k.env, k.source) for k in creds.keys] == [
        ("openai_compatible", "http://127.0.0.1:9/v1", "OPENAI_API_KEY", "environment"),
        ("azure", "https://env.azure", "AZURE_OPENAI_API_KEY", "environment")]
    assert load_credentials(db, environ={"AZURE_OPENAI_API_KEY": "x" * 20}).keys == ()  # no endpoint: unbound


def test_default_model(db: Session) -> None:
    assert save_default_model(db, " llama3.2 ") and not save_default_model(db, "llama3.2")
    assert load_credentials(db, environ={}).default_model.value == "llama3.2"
    assert save_default_model(db, "") and load_credentials(db, environ={}).default_model.source == "unset"


# --- injection -------------------------------------------------------------------------------


def _saved(db: Session) -> None:
    save_credential(db, "openai_compatible", LOCAL, KEY)
    save_credential(db, "azure", "https://team.example/", "azure-stored-key-42")


def test_a_key_goes_only_to_clients_of_its_endpoint_at_any_depth(db: Session) -> None:
    _saved(db)
    creds = load_credentials(db, environ=ENV)
    nested = round_robin(assistant("inner", openai_client(api_key=MASK, base_url=LOCAL + "/")), label="Inner")
    team = {"provider": "SelectorGroupChat", "config": {
        "participants": [assistant("a", openai_client(base_url=LOCAL)),
                         assistant("b", azure_client()),
                         assistant("c", openai_client(base_url="http://localhost:11435/v1")),  # other port
                         assistant("d", openai_client()),  # OpenAI's API: no saved key for it
                         assistant("e", azure_client(azure_endpoint="https://team.example.evil.test/")),
                         nested],
        "model_client": {"provider": "OpenAIChatCompletionClient", "config": {"model": "m", "base_url": LOCAL}},
        "termination_condition": {"provider": "MaxMessageTermination", "config": {"max_messages": 3}}}}
    original = copy.deepcopy(team)

    injected = inject_credentials(team, creds)

    assert team == original
    a, b, c, d, e = [p["config"]["model_client"]["config"] for p in injected["config"]["participants"][:5]]
    assert a["api_key"] == KEY and b["api_key"] == "azure-stored-key-42"
    assert "api_key" not in c and "api_key" not in d and "api_key" not in e  # the environment's key neither
    inner = injected["config"]["participants"][5]["config"]["participants"][0]["config"]["model_client"]["config"]
    assert inner["api_key"] == KEY
    assert injected["config"]["model_client"]["config"]["api_key"] == KEY
    load_component(injected)


def test_the_longest_endpoint_wins_and_own_keys_are_left_alone(db: Session) -> None:
    save_credential(db, "openai_compatible", "https://gw.example/", "sk-gateway-wide-0001")
    save_credential(db, "openai_compatible", "https://gw.example/team/v1", "sk-team-specific-0002")
    creds = load_credentials(db, environ={})
    own = openai_client(api_key="sk-own-key-5555", base_url="https://gw.example/team/v1")
    team = round_robin(assistant("a", openai_client(base_url="https://gw.example/team/v1")),
                       assistant("b", openai_client(base_url="https://gw.example/other/v1")), assistant("c", own))
    configs = _configs(inject_credentials(team, creds))
    assert [c["api_key"] for c in configs] == ["sk-team-specific-0002", "sk-gateway-wide-0001", "sk-own-key-5555"]


def test_nothing_stored_leaves_the_mask_and_other_models_alone() -> None:
    from studio.services.credentials import Credentials

    replay = {"provider": "ReplayChatCompletionClient", "config": {"chat_completions": ["hi"]}}
    team = round_robin(assistant("a", openai_client(api_key=MASK)), assistant("b", replay))
    assert json.dumps(inject_credentials(team, Credentials())) == json.dumps(team)


# --- variables for tools ---------------------------------------------------------------------


def test_a_tool_gets_only_the_variables_it_declares(db: Session) -> None:
    save_variable(db, "SERPAPI_KEY", "serp-secret-value-42")
    save_variable(db, "OTHER_KEY", "other-secret-value-43")
    creds = load_credentials(db, environ={})
    tool = {"provider": "autogen_core.tools.FunctionTool", "config": {
        "name": "search", "description": "d", "source_code": "def search() -> str:\n    return ''\n",
        "variables": ["SERPAPI_KEY", "MISSING"], "variable_values": {"OTHER_KEY": "from-the-file"}}}
    bare = copy.deepcopy(tool)
    bare["config"].pop("variables")
    injected = inject_credentials({"tools": [tool, bare]}, creds)
    assert injected["tools"][0]["config"]["variable_values"] == {"SERPAPI_KEY": "serp-secret-value-42"}
    assert "variable_values" not in injected["tools"][1]["config"]  # declares none: gets none (file values dropped)


def test_an_mcp_server_gets_the_variables_its_params_name_at_run_time_only(db: Session) -> None:
    save_variable(db, "GITHUB_TOKEN", "ghp-secret-value-44")
    creds = load_credentials(db, environ={})
    stdio = {"type": "StdioServerParams", "command": "github-mcp", "env": {"TOKEN": "${GITHUB_TOKEN}", "MODE": "ro"}}
    http = {"type": "StreamableHttpServerParams", "url": "https://mcp.example/mcp",
            "headers": {"Authorization": "Bearer ${GITHUB_TOKEN}", "X-Other": "${MISSING}"}}
    team = {"workbench": [{"provider": "autogen_ext.tools.mcp.McpWorkbench", "config": {"server_params": stdio}},
                          {"provider": "autogen_ext.tools.mcp.McpWorkbench", "config": {"server_params": http}}]}
    original = copy.deepcopy(team)
    injected = inject_credentials(team, creds)
    assert injected["workbench"][0]["config"]["server_params"]["env"] == {"TOKEN": "ghp-secret-value-44", "MODE": "ro"}
    assert injected["workbench"][1]["config"]["server_params"]["headers"] == {
        "Authorization": "Bearer ghp-secret-value-44", "X-Other": "${MISSING}"}  # an unknown name stays as written
    assert team == original  # the stored team keeps the references
    assert referenced_variables(http) == ["GITHUB_TOKEN", "MISSING"]


def test_an_http_tool_gets_the_variables_its_headers_read(db: Session) -> None:
    save_variable(db, "API_TOKEN", "api-secret-value-44")
    save_variable(db, "OTHER_KEY", "other-secret-value-43")
    tool = {"provider": "autogen_ext.tools.http.HttpTool", "config": {
        "name": "get", "host": "example.com", "port": 443, "json_schema": {"type": "object"},
        "headers": {"Authorization": "Bearer ${API_TOKEN}"}, "variables": ["API_TOKEN"],
        "variable_values": {"API_TOKEN": "from-the-file"}}}
    injected = inject_credentials(tool, load_credentials(db, environ={}))
    assert injected["config"]["variable_values"] == {"API_TOKEN": "api-secret-value-44"}
    assert tool["config"]["variable_values"] == {"API_TOKEN": "from-the-file"}  # a copy: the team is left as it was


@pytest.mark.parametrize(("name", "value", "field"), [
    ("1ABC", "v", "name"), ("WITH-DASH", "v", "name"), ("PATH", "v", "name"), ("LD_PRELOAD", "v", "name"),
    ("PYTHONPATH", "v", "name"), ("STUDIO_HOME", "v", "name"), ("OK_NAME", "", "value"), ("OK_NAME", "a\0b", "value"),
])
def test_bad_variables_are_refused_naming_the_field(db: Session, name: str, value: str, field: str) -> None:
    with pytest.raises(CredentialError) as info:
        save_variable(db, name, value)
    assert info.value.field == field
