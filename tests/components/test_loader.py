"""load_component / dump_component against the studio runtime (skipped while a runtime class is missing)."""

from __future__ import annotations

import json

import pytest

from studio.components import (
    MASK,
    ComponentValidationError,
    dump_component,
    load_component,
)

from .builders import (
    ASSISTANT,
    AZURE,
    CONDITIONS,
    MAGENTIC,
    OPENAI,
    REPLAY,
    ROUND_ROBIN,
    assistant,
    env,
    fixture,
    load,
    max_messages,
    replay,
    team,
    tool,
)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # code executors create their work_dir relative to the cwd
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_loads_dict_text_and_path(tmp_path) -> None:
    doc = team(ROUND_ROBIN, assistant("a"), assistant("b"))
    file = tmp_path / "team.json"
    file.write_text(json.dumps(doc))
    for source in (doc, json.dumps(doc), file, str(file)):
        loaded = load(source)
        assert type(loaded).__name__ == "RoundRobinGroupChat"
        assert [p.name for p in loaded.participants] == ["a", "b"]


def test_errors_block_loading_and_list_every_problem() -> None:
    doc = team(ROUND_ROBIN, assistant("a"), assistant("a"), max_turns=0)
    with pytest.raises(ComponentValidationError) as caught:
        load_component(doc)
    assert str(caught.value).splitlines() == [
        "config.max_turns: input should be greater than or equal to 1",
        "config.participants[1].config.name: duplicate participant name 'a' (also config.participants[0])",
    ]


def test_invalid_json_raises_with_position() -> None:
    with pytest.raises(ComponentValidationError, match=r"invalid JSON at line 1, column 2"):
        load_component("{,}")


def test_warnings_do_not_block_loading() -> None:
    loaded = load(team(ROUND_ROBIN, assistant("a"), termination_condition=None, max_turn=3))
    assert loaded.termination_condition is None


def test_required_kind() -> None:
    with pytest.raises(ComponentValidationError, match="expected a team here, got a model"):
        load_component(replay(), kind="team")


def test_magentic_one_is_not_loadable() -> None:
    with pytest.raises(ComponentValidationError) as caught:
        load_component(fixture(MAGENTIC))
    assert [(p.path, p.unsupported) for p in caught.value.errors] == [("", True)]
    assert caught.value.errors[0].message.startswith(f"{MAGENTIC} cannot run here: not supported by the studio")


def test_memory_is_not_loadable() -> None:
    doc = team(ROUND_ROBIN, assistant("a", memory=[env("autogen_core.memory.ListMemory")]))
    with pytest.raises(ComponentValidationError) as caught:
        load(doc)
    assert [(p.path, p.unsupported) for p in caught.value.errors] == [("config.participants[0].config.memory[0]", True)]


def test_runtime_constructor_errors_carry_the_path() -> None:
    executor = env("autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", functions_module="not valid")
    doc = env("autogen_agentchat.agents.CodeExecutorAgent", name="coder", code_executor=executor)
    with pytest.raises(ComponentValidationError) as caught:
        load(doc)
    [problem] = caught.value.problems
    assert problem.path == "config.code_executor"
    assert problem.message.startswith("LocalCommandLineCodeExecutor: ")


def test_dump_writes_canonical_provider_type_and_version() -> None:
    doc = {"provider": "RoundRobinGroupChat", "component_type": "team", "config": {
        "participants": [{"provider": "AssistantAgent", "component_type": "agent", "config": {
            "name": "a", "model_client": {**replay(), "provider": "ReplayChatCompletionClient",
                                          "component_type": "replay_chat_completion_client"}}}],
        "max_turns": 1}}
    out = dump_component(load(doc))
    agent = out["config"]["participants"][0]
    client = agent["config"]["model_client"]
    assert (out["provider"], out["component_type"], out["version"], out["component_version"]) == (
        ROUND_ROBIN, "team", 1, 1)
    assert (agent["provider"], agent["version"], agent["component_version"]) == (ASSISTANT, 2, 2)
    assert (client["provider"], client["component_type"]) == (REPLAY, "model")
    assert (out["label"], agent["label"], client["label"]) == (
        "RoundRobinGroupChat", "AssistantAgent", "ReplayChatCompletionClient")
    assert "description" not in out


def test_labels_and_descriptions_survive_a_round_trip() -> None:
    condition = {**max_messages(), "label": "Stop after 5", "description": "A hard cap."}
    doc = {**team(ROUND_ROBIN, {**assistant("a"), "label": "Writer"}, termination_condition=condition),
           "label": "My team", "description": "Writes things."}
    out = dump_component(load(doc))
    assert (out["label"], out["description"]) == ("My team", "Writes things.")
    assert out["config"]["participants"][0]["label"] == "Writer"
    assert out["config"]["termination_condition"]["label"] == "Stop after 5"
    assert out["config"]["termination_condition"]["description"] == "A hard cap."


def test_assistant_version_1_with_tools_loads_and_dumps_as_version_2() -> None:
    doc = {"provider": ASSISTANT, "component_type": "agent", "version": 1, "component_version": 1,
           "config": {"name": "a", "model_client": replay(), "tools": [tool()], "workbench": None,
                      "handoffs": ["b"], "description": "An agent", "system_message": "Help.",
                      "reflect_on_tool_use": False, "tool_call_summary_format": "{result}",
                      "model_client_stream": False}}
    out = dump_component(load(doc))
    assert (out["version"], out["component_version"]) == (2, 2)
    assert "tools" not in out["config"]
    [workbench] = out["config"]["workbench"]
    assert workbench["provider"] == "autogen_core.tools.StaticStreamWorkbench"
    assert [t["config"]["name"] for t in workbench["config"]["tools"]] == ["add"]
    assert out["config"]["handoffs"] == [{"target": "b", "description": "Handoff to b.", "name": "transfer_to_b",
                                          "message": "Transferred to b, adopting the role of b immediately."}]


def test_assistant_version_1_with_a_single_workbench() -> None:
    workbench = env("autogen_core.tools.StaticWorkbench", tools=[tool()])
    doc = {"provider": ASSISTANT, "component_version": 1, "config": {
        "name": "a", "model_client": replay(), "workbench": workbench}}
    out = dump_component(load(doc))
    assert [wb["provider"] for wb in out["config"]["workbench"]] == ["autogen_core.tools.StaticWorkbench"]
    assert dump_component(load_component(out)) == out


def test_assistant_version_1_with_tools_and_another_workbench_is_an_error() -> None:
    workbench = env("autogen_core.tools.StaticWorkbench", tools=[tool("other")])
    doc = {"provider": ASSISTANT, "component_version": 1, "config": {
        "name": "a", "model_client": replay(), "tools": [tool()], "workbench": workbench}}
    with pytest.raises(ComponentValidationError, match=r"(?m)^config.tools: tools cannot be used with a workbench"):
        load_component(doc)


@pytest.mark.parametrize("wrapped", [[], [tool()]])
def test_assistant_version_1_with_tools_and_their_own_wrapper(wrapped: list) -> None:
    """agentchat 0.5.3-0.5.4 dumped `tools` and the workbench wrapping them: the tools win."""
    workbench = env("autogen_core.tools.StaticWorkbench", tools=wrapped)
    doc = {"provider": ASSISTANT, "component_version": 1, "config": {
        "name": "a", "model_client": replay(), "tools": [tool()], "workbench": workbench}}
    [out] = dump_component(load(doc))["config"]["workbench"]
    assert out["provider"] == "autogen_core.tools.StaticStreamWorkbench"
    assert [t["config"]["name"] for t in out["config"]["tools"]] == ["add"]


def test_lenient_fields_are_filled_on_export() -> None:
    agents = [env(ASSISTANT, name=name, model_client=replay()) for name in ("a", "b")]
    doc = env("autogen_agentchat.teams.SelectorGroupChat", participants=agents, model_client=replay(), max_turns=2)
    out = dump_component(load(doc))
    assert out["config"]["selector_prompt"].startswith("You are in a role play game.")
    assert out["config"]["allow_repeated_speaker"] is False
    agent = out["config"]["participants"][0]["config"]
    assert (agent["reflect_on_tool_use"], agent["tool_call_summary_format"]) == (False, "{result}")
    assert agent["description"]


def test_token_usage_with_an_unset_limit_dumps_explicit_nulls() -> None:
    out = dump_component(load(env(CONDITIONS + "TokenUsageTermination", max_total_token=100)))
    assert out["config"] == {"max_total_token": 100, "max_prompt_token": None, "max_completion_token": None}


def test_user_proxy_input_func_is_ignored() -> None:
    agent = load(env("autogen_agentchat.agents.UserProxyAgent", name="user", input_func="input"))
    assert callable(agent.input_func)
    assert "input_func" not in dump_component(agent)["config"]


def test_dump_of_a_foreign_object() -> None:
    with pytest.raises(TypeError, match="cannot dump dict: it is not a studio component"):
        dump_component({})


def test_dump_of_objects_built_in_code() -> None:
    from studio.runtime import agents, conditions, models, teams

    client = models.ReplayChatCompletionClient(["hi"])
    built = teams.RoundRobinGroupChat(
        [agents.AssistantAgent("a", client), agents.UserProxyAgent("user")],
        termination_condition=conditions.OrTerminationCondition(
            conditions.MaxMessageTermination(3), conditions.TextMentionTermination("BYE")))
    out = dump_component(built)
    assert [p["label"] for p in out["config"]["participants"]] == ["AssistantAgent", "UserProxyAgent"]
    assert out["config"]["termination_condition"]["config"]["conditions"][1]["config"] == {"text": "BYE"}
    assert dump_component(load_component(out)) == out


# API keys --------------------------------------------------------------------------------------

def test_real_api_key_is_used_but_never_dumped() -> None:
    client = load(env(OPENAI, model="gpt-4o", api_key="sk-real-secret-123"))
    assert client.config["api_key"] == "sk-real-secret-123"
    out = dump_component(client)
    assert out["config"]["api_key"] == MASK
    assert "sk-real-secret-123" not in json.dumps(out)


def test_masked_api_key_is_treated_as_absent_and_dumped_masked() -> None:
    client = load(env(OPENAI, model="gpt-4o", api_key=MASK, base_url="http://localhost:11434/v1"))
    assert "api_key" not in client.config
    assert dump_component(client)["config"]["api_key"] == MASK


def test_no_api_key_stays_absent() -> None:
    client = load(env(OPENAI, model="gpt-4o", base_url="http://localhost:11434/v1"))
    assert "api_key" not in dump_component(client)["config"]


def test_azure_secrets_and_auth_headers_are_masked() -> None:
    doc = env(AZURE, model="gpt-4o", azure_endpoint="https://x.openai.azure.com/", api_version="2024-06-01",
              azure_ad_token="ad-token-secret", default_headers={"Authorization": "Bearer hdr-secret", "X-Team": "a"})
    out = dump_component(load(doc))
    assert out["config"]["azure_ad_token"] == MASK
    assert out["config"]["default_headers"] == {"Authorization": MASK, "X-Team": "a"}
    assert "secret" not in json.dumps(out)
    again = load(out)
    assert "Authorization" not in again.config["default_headers"]
    assert dump_component(again) == out
