"""The provider registry: canonical names, aliases, internal paths, suggestions."""

from __future__ import annotations

import pytest

from studio.components import ProviderSpec, get_spec, providers, suggest
from studio.runtime.config import ConfigModel

from .builders import FIXTURES, ROUND_ROBIN, problems


def test_every_provider_has_a_type_a_config_model_and_a_unique_name() -> None:
    specs = providers()
    assert len({s.provider for s in specs}) == len(specs) == 38
    assert len({s.name for s in specs}) == len(specs)
    for spec in specs:
        assert spec.component_type in {"team", "agent", "model", "tool", "workbench", "termination",
                                       "chat_completion_context", "code_executor"}
        assert issubclass(spec.config, ConfigModel)
        assert (spec.runtime is None) == (spec.unsupported is not None)


def test_a_spec_has_a_runtime_class_or_a_config_model_and_why_it_cannot_run() -> None:
    with pytest.raises(ValueError, match="give a runtime class"):
        ProviderSpec("x.Unknown", "team")
    with pytest.raises(ValueError, match="give a runtime class"):
        ProviderSpec("x.Unknown", "team", config=ConfigModel)
    assert ProviderSpec("x.Unknown", "team", config=ConfigModel, unsupported="no runtime").config is ConfigModel


def test_every_provider_has_an_autogen_fixture() -> None:
    assert {p.stem for p in FIXTURES.glob("*.json")} == {s.provider for s in providers()}


@pytest.mark.parametrize("alias", [
    "RoundRobinGroupChat",
    "autogen_agentchat.teams.RoundRobinGroupChat",
    "autogen_agentchat.teams._group_chat._round_robin_group_chat.RoundRobinGroupChat",
])
def test_team_aliases(alias: str) -> None:
    assert get_spec(alias) is get_spec(ROUND_ROBIN)


@pytest.mark.parametrize(("alias", "canonical"), [
    ("openai_chat_completion_client", "autogen_ext.models.openai.OpenAIChatCompletionClient"),
    ("OpenAIChatCompletionClient", "autogen_ext.models.openai.OpenAIChatCompletionClient"),
    ("azure_openai_chat_completion_client", "autogen_ext.models.openai.AzureOpenAIChatCompletionClient"),
    ("AzureOpenAIChatCompletionClient", "autogen_ext.models.openai.AzureOpenAIChatCompletionClient"),
    ("autogen_ext.models.openai._openai_client.OpenAIChatCompletionClient",
     "autogen_ext.models.openai.OpenAIChatCompletionClient"),
    ("AssistantAgent", "autogen_agentchat.agents.AssistantAgent"),
    ("autogen_agentchat.agents._assistant_agent.AssistantAgent", "autogen_agentchat.agents.AssistantAgent"),
    ("autogen_agentchat.conditions._terminations.MaxMessageTermination",
     "autogen_agentchat.conditions.MaxMessageTermination"),
    ("autogen_agentchat.base._termination.OrTerminationCondition", "autogen_agentchat.base.OrTerminationCondition"),
    ("autogen_core.tools._function_tool.FunctionTool", "autogen_core.tools.FunctionTool"),
])
def test_aliases_resolve_to_canonical(alias: str, canonical: str) -> None:
    spec = get_spec(alias)
    assert spec is not None and spec.provider == canonical


def test_a_class_name_under_another_package_does_not_resolve() -> None:
    assert get_spec("other_package.teams.RoundRobinGroupChat") is None
    assert get_spec("Ollama") is None


def test_aliases_validate_in_documents() -> None:
    doc = {"provider": "RoundRobinGroupChat", "config": {
        "participants": [{"provider": "AssistantAgent", "config": {
            "name": "a", "model_client": {"provider": "openai_chat_completion_client",
                                          "component_type": "model", "config": {"model": "gpt-4o"}},
            "description": "An assistant.", "reflect_on_tool_use": False, "tool_call_summary_format": "{result}"}}],
        "max_turns": 2}}
    assert problems(doc) == []


def test_suggest() -> None:
    assert suggest("autogen_agentchat.teams.RoundRobinGroupchat") == "autogen_agentchat.teams.RoundRobinGroupChat"
    assert suggest("MaxMessagesTermination") == "MaxMessageTermination"
    assert suggest("completely different") is None


def test_versions() -> None:
    assistant = get_spec("AssistantAgent")
    assert assistant is not None and assistant.version == 2
    assert assistant.config_for(1).__name__ == "AssistantAgentConfigV1"
    assert assistant.config_for(None) is assistant.config_for(2) is assistant.config_for(9) is assistant.config
