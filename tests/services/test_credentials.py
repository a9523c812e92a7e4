"""Credentials: saved beats environment, masking, and injection into a copy of a team at any depth."""

from __future__ import annotations

import copy
import json

from sqlmodel import Session

from studio.components import MASK, load_component
from studio.services.credentials import (
    Credential,
    Credentials,
    inject_credentials,
    load_credentials,
    masked,
    save_credentials,
)

from .helpers import assistant, azure_client, openai_client, round_robin

KEY = "sk-stored-key-1234567890abcd"
ENV = {"OPENAI_API_KEY": "sk-from-env-99990000wxyz", "OPENAI_BASE_URL": "http://env.example/v1",
       "AZURE_OPENAI_API_KEY": "azure-env-key-000111", "AZURE_OPENAI_ENDPOINT": "https://env.azure/",
       "OPENAI_API_VERSION": "2024-02-01"}


def test_masked() -> None:
    assert masked("sk-proj-abcdefghijklmnop1234") == "sk-…1234"
    assert masked("0123456789abcdef") == "…cdef"
    assert masked("short") == "…"
    assert masked(None) == masked("") == ""


def test_nothing_set(db: Session) -> None:
    creds = load_credentials(db, environ={})
    assert all(c.source == "unset" and c.value is None for _, c in creds.items())


def test_environment_is_used_when_nothing_is_saved(db: Session) -> None:
    creds = load_credentials(db, environ=ENV)
    assert creds.openai_api_key == Credential(ENV["OPENAI_API_KEY"], "environment", True)
    assert creds.azure_endpoint.value == "https://env.azure/"
    assert creds.azure_api_version.source == "environment"
    assert creds.default_model.source == "unset"


def test_saved_values_win_over_the_environment(db: Session) -> None:
    save_credentials(db, {"openai_api_key": KEY, "openai_base_url": "http://localhost:11434/v1",
                          "default_model": "llama3.2"})
    creds = load_credentials(db, environ=ENV)
    assert creds.openai_api_key == Credential(KEY, "saved", True)
    assert creds.openai_base_url == Credential("http://localhost:11434/v1", "saved")
    assert creds.default_model.value == "llama3.2"
    assert creds.azure_api_key.source == "environment"


def test_an_empty_key_field_keeps_the_key_and_remove_deletes_it(db: Session) -> None:
    save_credentials(db, {"openai_api_key": KEY, "openai_base_url": "http://a/v1"})
    assert save_credentials(db, {"openai_api_key": "", "openai_base_url": "http://a/v1"}) == []
    assert load_credentials(db, environ={}).openai_api_key.value == KEY
    assert save_credentials(db, {"openai_base_url": ""}, remove=("openai_api_key",)) == [
        "openai_api_key", "openai_base_url"]
    creds = load_credentials(db, environ=ENV)
    assert creds.openai_api_key.source == "environment"
    assert creds.openai_base_url.source == "environment"


def test_repr_never_shows_a_key(db: Session) -> None:
    save_credentials(db, {"openai_api_key": KEY})
    creds = load_credentials(db, environ={})
    assert KEY not in repr(creds) and KEY not in str(creds)
    assert creds.openai_api_key.display == "sk-…abcd"


# --- injection -------------------------------------------------------------------------------

CREDS = Credentials(
    openai_api_key=Credential(KEY, "saved", True),
    openai_base_url=Credential("http://localhost:11434/v1", "saved"),
    azure_endpoint=Credential("https://stored.azure/", "saved"),
    azure_api_key=Credential("azure-stored-key-42", "saved", True),
    azure_api_version=Credential("2024-10-21", "saved"),
)


def _selector(*participants: dict, model_client: dict) -> dict:
    return {"provider": "SelectorGroupChat", "config": {
        "participants": list(participants), "model_client": model_client,
        "termination_condition": {"provider": "MaxMessageTermination", "config": {"max_messages": 3}}}}


def test_inject_at_every_depth_without_touching_the_original() -> None:
    nested = round_robin(assistant("inner", openai_client(api_key=MASK)), label="Inner")
    team = _selector(
        assistant("a", openai_client()),
        assistant("b", azure_client(azure_endpoint=None, api_version=None)),
        nested,
        model_client={"provider": "OpenAIChatCompletionClient", "config": {"model": "gpt-4o"}},  # an alias
    )
    team["config"]["participants"][1]["config"]["model_client"]["config"] = {"model": "gpt-4o"}
    original = copy.deepcopy(team)

    injected = inject_credentials(team, CREDS)

    assert team == original
    a = injected["config"]["participants"][0]["config"]["model_client"]["config"]
    assert a["api_key"] == KEY and a["base_url"] == "http://localhost:11434/v1"
    b = injected["config"]["participants"][1]["config"]["model_client"]["config"]
    assert b == {"model": "gpt-4o", "api_key": "azure-stored-key-42", "azure_endpoint": "https://stored.azure/",
                 "api_version": "2024-10-21"}
    inner = injected["config"]["participants"][2]["config"]["participants"][0]["config"]["model_client"]["config"]
    assert inner["api_key"] == KEY
    assert injected["config"]["model_client"]["config"]["api_key"] == KEY
    load_component(injected)


def test_clients_with_their_own_key_or_settings_are_left_alone() -> None:
    own = openai_client(api_key="sk-own-key-5555", base_url="https://own.example/v1")
    no_key_own_url = openai_client(base_url="https://team.example/v1")
    azure = azure_client()
    team = round_robin(assistant("a", own), assistant("b", no_key_own_url), assistant("c", azure))
    injected = inject_credentials(team, CREDS)
    configs = [p["config"]["model_client"]["config"] for p in injected["config"]["participants"]]
    assert configs[0] == own["config"]
    assert configs[1]["base_url"] == "https://team.example/v1" and configs[1]["api_key"] == KEY
    assert configs[2]["azure_endpoint"] == "https://team.example/" and configs[2]["api_version"] == "2024-06-01"
    assert configs[2]["api_key"] == "azure-stored-key-42"


def test_nothing_stored_leaves_the_mask_and_other_models_alone() -> None:
    replay = {"provider": "ReplayChatCompletionClient", "config": {"chat_completions": ["hi"]}}
    team = round_robin(assistant("a", openai_client(api_key=MASK)), assistant("b", replay))
    injected = inject_credentials(team, Credentials())
    assert json.dumps(injected) == json.dumps(team)
