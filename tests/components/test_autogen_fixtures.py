"""Files dumped by AutoGen 0.7.5 (tests/fixtures/autogen, made by make_fixtures.py) load here and dump
back to equal JSON; the studio's dumps load in AutoGen itself (compat, when its venv is around)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from studio.components import dump_component, load_component, providers, validate_component

from .builders import (
    ASSISTANT,
    CONDITIONS,
    FIXTURES,
    MAGENTIC,
    REPLAY,
    SELECTOR,
    assistant,
    env,
    load,
    replay,
    team,
    tool,
)

RUNNABLE = sorted(s.provider for s in providers() if s.runtime is not None)


def _autogen_python() -> Path | None:
    """An interpreter with AutoGen 0.7.5: $STUDIO_AUTOGEN_PYTHON, this one (compat extra), or /work/agvenv."""
    if os.environ.get("STUDIO_AUTOGEN_PYTHON"):
        return Path(os.environ["STUDIO_AUTOGEN_PYTHON"])
    if importlib.util.find_spec("autogen_core") is not None:
        return Path(sys.executable)
    fallback = Path("/work/agvenv/bin/python")
    return fallback if fallback.exists() else None


AUTOGEN_PYTHON = _autogen_python()


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)


def _fixture(provider: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{provider}.json").read_text())


def canonical(document: Any) -> Any:
    """AutoGen's dump with the one intended difference applied: the replay client's odd
    `component_type` ("replay_chat_completion_client") is written as the canonical "model"."""
    if isinstance(document, dict):
        if document.get("provider") == REPLAY:
            document = {**document, "component_type": "model"}
        return {key: canonical(value) for key, value in document.items()}
    if isinstance(document, list):
        return [canonical(item) for item in document]
    return document


@pytest.mark.parametrize("provider", sorted(s.provider for s in providers()))
def test_autogen_fixture_validates(provider: str) -> None:
    found = validate_component(_fixture(provider))
    assert [p for p in found if not p.unsupported or provider != MAGENTIC] == []


@pytest.mark.parametrize("provider", RUNNABLE)
def test_autogen_fixture_round_trips_to_equal_json(provider: str) -> None:
    document = _fixture(provider)
    dumped = dump_component(load(document))
    assert dumped == canonical(document)
    assert dump_component(load_component(dumped)) == dumped


def _studio_dumps() -> dict[str, dict[str, Any]]:
    """Our dumps of every fixture, plus documents only the studio's leniency accepts."""
    dumps = {provider: dump_component(load(_fixture(provider))) for provider in RUNNABLE}
    v1 = {"provider": ASSISTANT, "component_version": 1, "config": {
        "name": "a", "model_client": replay(), "tools": [tool()], "workbench": None}}
    extra = {
        "assistant-v1": v1,
        "selector-minimal": team(SELECTOR, assistant("a"), assistant("b"), model_client=replay()),
        "token-usage-one-limit": env(CONDITIONS + "TokenUsageTermination", max_prompt_token=50),
    }
    return dumps | {name: dump_component(load(doc)) for name, doc in extra.items()}


AUTOGEN_LOADER = """
import json, sys, types, warnings
warnings.simplefilter("ignore")
for name in ("azure", "azure.core", "azure.core.credentials", "azure.identity"):  # SDK absent: stub its imports
    sys.modules.setdefault(name, types.ModuleType(name))
sys.modules["azure.core.credentials"].TokenProvider = object
sys.modules["azure.identity"].DefaultAzureCredential = object
sys.modules["azure.identity"].get_bearer_token_provider = None
try:  # HttpTool's argument-model builder (autogen-ext's http-tool extra); loading only needs a model class
    import json_schema_to_pydantic
except ImportError:
    from pydantic import create_model
    sys.modules["json_schema_to_pydantic"] = types.ModuleType("json_schema_to_pydantic")
    sys.modules["json_schema_to_pydantic"].create_model = lambda schema: create_model("DynamicModel")
from autogen_core import ComponentLoader
loaded, failures = [], {}
for name, document in json.load(sys.stdin).items():
    try:
        ComponentLoader.load_component(document)
        loaded.append(name)
    except Exception as exc:
        failures[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps({"loaded": loaded, "failures": failures}))
"""


@pytest.mark.compat
@pytest.mark.skipif(AUTOGEN_PYTHON is None, reason="no interpreter with AutoGen 0.7.5 (pip install -e '.[compat]')")
def test_studio_dumps_load_in_autogen(tmp_path: Path) -> None:
    dumps = _studio_dumps()
    result = subprocess.run([str(AUTOGEN_PYTHON), "-c", AUTOGEN_LOADER], input=json.dumps(dumps), text=True,
                            capture_output=True, cwd=tmp_path, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failures"] == {}
    assert sorted(report["loaded"]) == sorted(dumps)
