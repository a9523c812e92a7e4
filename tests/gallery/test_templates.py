"""Every shipped template is a valid, canonical, stoppable team that AutoGen 0.7.5 loads, and together
they cover every pattern issue 6 asks for; `index.json` is the same gallery as one AutoGen Studio file."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from studio.components import dump_component, load_component, validate_component
from studio.services.gallery import build_index, template_tags, without_tags

from .conftest import GALLERY, KEYS, template

OPENAI = "autogen_ext.models.openai.OpenAIChatCompletionClient"


def components(node: Any) -> list[dict[str, Any]]:
    """Every component envelope inside `node`, itself included, depth first."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("provider"), str):
            found.append(node)
        for value in node.values():
            found += components(value)
    elif isinstance(node, list):
        for value in node:
            found += components(value)
    return found


def test_at_least_twelve_templates() -> None:
    assert len(KEYS) >= 12


@pytest.mark.parametrize("key", KEYS)
def test_template_validates_without_errors_or_never_stop_warning(key: str) -> None:
    problems = validate_component(template(key), kind="team")
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("key", KEYS)
def test_template_round_trips_unchanged(key: str) -> None:
    """The file is AutoGen's canonical dump plus the gallery's `tags` key."""
    component = without_tags(template(key))
    assert dump_component(load_component(component, kind="team")) == component


@pytest.mark.parametrize("key", KEYS)
def test_template_has_label_description_and_tags(key: str) -> None:
    component = template(key)
    assert component["label"].strip()
    assert len(component["description"]) > 60 and "use it" in component["description"].lower()
    tags = template_tags(component)
    assert tags and len(tags) == len(set(tags)) and all(t == t.lower() and " " not in t for t in tags)


@pytest.mark.parametrize("key", KEYS)
def test_models_are_openai_clients_without_a_key(key: str) -> None:
    models = [c for c in components(template(key)) if c["component_type"] == "model"]
    assert models and all(m["provider"] == OPENAI for m in models)
    assert all("api_key" not in m["config"] for m in models)
    if key != "local-model":
        assert {m["config"]["model"] for m in models} == {"gpt-4o-mini"}


def test_the_local_model_template_points_at_an_openai_compatible_server() -> None:
    (model,) = [c for c in components(template("local-model")) if c["component_type"] == "model"]
    assert model["config"]["base_url"] == "http://localhost:11434/v1"
    assert set(model["config"]["model_info"]) >= {"vision", "function_calling", "json_output", "family",
                                                 "structured_output", "multiple_system_messages"}


def test_templates_cover_every_pattern() -> None:
    teams = {key: template(key) for key in KEYS}
    kinds = Counter(t["provider"].rsplit(".", 1)[-1] for t in teams.values())
    assert kinds["GraphFlow"] >= 3 and kinds["Swarm"] >= 1 and kinds["SelectorGroupChat"] >= 1
    assert kinds["RoundRobinGroupChat"] >= 1
    providers = Counter(c["provider"].rsplit(".", 1)[-1] for t in teams.values() for c in components(t))
    assert providers["UserProxyAgent"] >= 1 and providers["CodeExecutorAgent"] >= 1
    tools = {c["config"]["name"] for c in components(teams["tool-assistant"]) if c["component_type"] == "tool"}
    assert tools == {"calculator", "convert_units", "days_between", "text_statistics"}
    assert teams["research-selector"]["config"]["selector_prompt"].count("{participants}") == 1
    review = teams["review-loop"]["config"]["graph"]["nodes"]["reviewer"]["edges"]
    assert {e["condition"] for e in review} == {"APPROVE", "REJECT"}
    fan = teams["parallel-review"]["config"]["graph"]["nodes"]
    assert len(fan["coordinator"]["edges"]) == 2
    assert sum(e["target"] == "synthesizer" for n in fan.values() for e in n["edges"]) == 2
    handoffs = [h["target"] for c in components(teams["travel-swarm"]) for h in c["config"].get("handoffs", [])]
    assert "user" in handoffs and "flights_agent" in handoffs and "hotels_agent" in handoffs


def test_index_is_the_gallery_in_autogen_studio_format() -> None:
    """`gallery/index.json` never drifts: regenerate it with `.venv/bin/python -m studio.services.gallery`."""
    index = json.loads((GALLERY / "index.json").read_text(encoding="utf-8"))
    assert index == build_index(GALLERY)
    assert set(index) == {"id", "name", "url", "metadata", "components"}
    assert set(index["metadata"]) >= {"author", "version", "description", "tags", "license", "homepage", "category"}
    assert set(index["components"]) == {"teams", "agents", "models", "tools", "terminations", "workbenches"}
    assert [t["label"] for t in index["components"]["teams"]] == [template(k)["label"] for k in KEYS]


@pytest.mark.parametrize("group", ["agents", "models", "tools", "terminations"])
def test_single_components_validate_and_round_trip(group: str) -> None:
    files = sorted((GALLERY / "components" / group).glob("*.json"))
    assert files
    for path in files:
        component = json.loads(path.read_text(encoding="utf-8"))
        assert component["component_type"] == group[:-1] and component["label"] and component["description"]
        assert [str(p) for p in validate_component(component, kind=group[:-1]) if p.severity == "error"] == []
        assert dump_component(load_component(component, kind=group[:-1])) == component, path.name


class TestLoadsInAutoGen:
    """AutoGen 0.7.5 (test-only dependency) loads every template and every single component."""

    @pytest.fixture(autouse=True)
    def _autogen(self, monkeypatch: pytest.MonkeyPatch) -> None:
        pytest.importorskip("autogen_agentchat", reason="needs AutoGen 0.7.5: pip install -e '.[compat]'")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")  # the OpenAI client wants a key to construct

    @pytest.mark.compat
    @pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
    @pytest.mark.parametrize("key", KEYS)
    def test_team_loads(self, key: str) -> None:
        from autogen_agentchat.base import Team

        team = Team.load_component(without_tags(template(key)))
        assert type(team).__name__ == template(key)["provider"].rsplit(".", 1)[-1]

    @pytest.mark.compat
    @pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
    def test_single_components_load(self) -> None:
        from autogen_agentchat.base import ChatAgent, TerminationCondition
        from autogen_core.models import ChatCompletionClient
        from autogen_core.tools import BaseTool

        bases = {"agents": ChatAgent, "models": ChatCompletionClient, "tools": BaseTool,
                 "terminations": TerminationCondition}
        for group, base in bases.items():
            for path in sorted((GALLERY / "components" / group).glob("*.json")):
                assert isinstance(base.load_component(json.loads(path.read_text())), base), path.name
