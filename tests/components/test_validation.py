"""Structural validation: JSON parsing, envelopes, providers, config schemas, nested paths."""

from __future__ import annotations

import json

from studio.components import ComponentValidationError, Problem, validate_component

from .builders import (
    ASSISTANT,
    OPENAI,
    REPLAY,
    ROUND_ROBIN,
    SELECTOR,
    assistant,
    env,
    fixture,
    max_messages,
    paths,
    problems,
    replay,
    team,
)


def test_valid_team_has_no_problems() -> None:
    assert problems(team(ROUND_ROBIN, assistant("a"), assistant("b"))) == []


def test_problem_str_is_path_then_message() -> None:
    assert str(Problem("config.participants[1].config.model_client", "field required")) == (
        "config.participants[1].config.model_client: field required"
    )
    assert str(Problem("", "the top level must be a JSON object, not an array")) == (
        "the top level must be a JSON object, not an array"
    )


def test_validation_error_lists_every_problem_one_per_line() -> None:
    error = ComponentValidationError([Problem("a", "x"), Problem("b.c", "y", "warning")])
    assert str(error) == "a: x\nb.c: y"
    assert error.errors == [Problem("a", "x")]


def test_invalid_json_reports_line_and_column() -> None:
    assert problems('{"provider": "x",\n  "config": }') == [
        ("error", "", "invalid JSON at line 2, column 13: Expecting value")
    ]


def test_top_level_must_be_an_object() -> None:
    assert problems("[1, 2]") == [("error", "", "the top level must be a JSON object, not an array")]
    assert problems("null") == [("error", "", "the top level must be a JSON object, not null")]


def test_unreadable_path(tmp_path) -> None:
    missing = tmp_path / "missing.json"
    [(severity, path, message)] = problems(missing)
    assert (severity, path) == ("error", "") and message.startswith(f"cannot read {missing}")


def test_reads_a_path_given_as_str_or_path(tmp_path) -> None:
    file = tmp_path / "team.json"
    file.write_text(json.dumps(team(ROUND_ROBIN, assistant("a"))))
    assert problems(file) == [] and problems(str(file)) == []


def test_missing_nested_field_has_full_path() -> None:
    broken = assistant("b")
    del broken["config"]["model_client"]
    assert problems(team(ROUND_ROBIN, assistant("a"), broken)) == [
        ("error", "config.participants[1].config.model_client", "field required")
    ]


def test_all_problems_are_reported_at_once() -> None:
    doc = team(ROUND_ROBIN, assistant("a", max_tool_iterations=0), env(ASSISTANT, model_client=replay()),
               termination_condition=env("autogen_agentchat.conditions.MaxMessageTermination"))
    doc["config"]["max_turns"] = "many"
    assert paths(doc) == [
        "config.max_turns",
        "config.participants[0].config.max_tool_iterations",
        "config.participants[1].config.name",
        "config.termination_condition.config.max_messages",
    ]


def test_pydantic_messages_are_lowercase_and_plain() -> None:
    doc = team(ROUND_ROBIN, assistant("a"), max_turns="many")
    assert problems(doc) == [
        ("error", "config.max_turns", "input should be a valid integer, unable to parse string as an integer")
    ]


def test_envelope_errors() -> None:
    assert problems({"config": {}}) == [("error", "provider", "field required")]
    assert problems({"provider": ROUND_ROBIN}) == [("error", "config", "field required")]
    assert problems({"provider": REPLAY, "config": []}) == [("error", "config", "expected an object")]


def test_unknown_top_level_keys_are_ignored() -> None:
    doc = {**replay(), "id": 7, "team_id": "abc"}
    assert problems(doc) == []


def test_participant_that_is_not_an_object() -> None:
    assert problems(team(ROUND_ROBIN, assistant("a"), "writer")) == [  # type: ignore[arg-type]
        ("error", "config.participants[1]", "expected a component object ({provider, config, ...})")
    ]


def test_unknown_provider_with_did_you_mean() -> None:
    doc = team(ROUND_ROBIN, env("autogen_agentchat.agents.AssistantAgnet", name="a"))
    assert problems(doc) == [
        ("error", "config.participants[0]", "autogen_agentchat.agents.AssistantAgnet cannot run here: unknown "
         "provider (did you mean 'autogen_agentchat.agents.AssistantAgent'?); it is kept as written")
    ]


def test_did_you_mean_short_alias() -> None:
    [(_, path, message)] = problems(env("RoundRobinGroupChatt", participants=[]))
    assert path == ""
    assert message == ("RoundRobinGroupChatt cannot run here: unknown provider (did you mean 'RoundRobinGroupChat'?)"
                       "; it is kept as written")


def test_unknown_provider_without_suggestion() -> None:
    assert problems(env("my.own.Thing")) == [
        ("error", "", "my.own.Thing cannot run here: unknown provider; it is kept as written")]


def test_known_unsupported_provider_gets_a_hint() -> None:
    doc = assistant("a", model_client=env("OllamaChatCompletionClient", model="llama3.2"))
    [(severity, path, message)] = problems(doc)
    assert (severity, path) == ("error", "config.model_client")
    assert message.startswith("autogen_ext.models.ollama.OllamaChatCompletionClient cannot run here: not supported by "
                              "the studio (use autogen_ext.models.openai.OpenAIChatCompletionClient with base_url")


def test_component_type_that_does_not_fit_its_place() -> None:
    doc = team(ROUND_ROBIN, assistant("a"), replay())
    assert problems(doc) == [
        ("error", "config.participants[1]", "expected an agent or team here, got a model (ReplayChatCompletionClient)")
    ]
    doc = assistant("a", model_client=assistant("b"))
    assert problems(doc) == [
        ("error", "config.model_client", "expected a model here, got an agent (AssistantAgent)")
    ]


def test_required_kind_at_the_top() -> None:
    assert problems(replay(), kind="team") == [
        ("error", "", "expected a team here, got a model (ReplayChatCompletionClient)")
    ]


def test_swarm_and_graph_flow_take_agents_only() -> None:
    inner = team(ROUND_ROBIN, assistant("x"))
    doc = team("autogen_agentchat.teams.Swarm", assistant("a"), inner)
    expected = ("error", "config.participants[1]", "expected an agent here, got a team (RoundRobinGroupChat)")
    assert expected in problems(doc)


def test_nested_team_is_a_valid_round_robin_participant() -> None:
    assert problems(team(ROUND_ROBIN, assistant("a"), team(ROUND_ROBIN, assistant("b"), name="inner"))) == []


def test_mismatched_component_type_is_a_warning() -> None:
    doc = {**assistant("a"), "component_type": "model"}
    assert problems(doc) == [
        ("warning", "component_type", "'model' does not match AssistantAgent, which is an agent; the provider wins")
    ]


def test_replay_client_odd_component_type_is_accepted_silently() -> None:
    assert problems({**replay(), "component_type": "replay_chat_completion_client"}) == []


def test_unknown_config_field_is_a_warning() -> None:
    doc = team(ROUND_ROBIN, assistant("a"), max_turn=3)
    assert problems(doc) == [("warning", "config.max_turn", "unknown field (ignored)")]


def test_newer_component_version_is_a_warning() -> None:
    doc = {**assistant("a"), "component_version": 3}
    assert problems(doc) == [
        ("warning", "component_version", "written by a newer AutoGen (version 3); read as version 2")
    ]


def test_component_version_zero_means_unset_and_one_is_known() -> None:
    doc = {**max_messages(), "component_version": 0}
    assert problems(doc) == []  # 0 means "unset", as in AutoGen
    doc = {**assistant("a"), "component_version": 1}
    assert problems(doc) == []  # version 1 is known


def test_union_branches_do_not_leak_into_paths() -> None:
    doc = env(REPLAY, chat_completions=["ok", {"finish_reason": "function_calls", "content": [{"id": "1"}]}])
    assert paths(doc) == [
        "config.chat_completions[1].content[0].arguments",
        "config.chat_completions[1].content[0].name",
    ]


def test_llm_message_type_errors() -> None:
    doc = env("autogen_core.model_context.BufferedChatCompletionContext", buffer_size=2,
              initial_messages=[{"content": "x", "type": "Nope"}, {"content": "x"}])
    expected = "'SystemMessage', 'UserMessage', 'AssistantMessage', 'FunctionExecutionResultMessage'"
    assert problems(doc) == [
        ("error", "config.initial_messages[0]", f"unknown type 'Nope'; expected one of {expected}"),
        ("error", "config.initial_messages[1]", f"missing 'type'; expected one of {expected}"),
    ]


def test_graph_node_keys_appear_in_paths() -> None:
    doc = fixture("autogen_agentchat.teams.GraphFlow")
    doc["config"]["graph"]["nodes"]["writer"]["edges"][0]["activation_condition"] = "some"
    assert problems(doc) == [
        ("error", "config.graph.nodes.writer.edges[0].activation_condition", "input should be 'all' or 'any'")
    ]


def test_secret_values_never_appear_in_messages() -> None:
    doc = env(OPENAI, model=5, api_key="sk-very-secret-value")
    text = str(ComponentValidationError(validate_component(doc)))
    assert "sk-very-secret-value" not in text and "config.model" in text


def test_selector_needs_a_model_client() -> None:
    doc = team(SELECTOR, assistant("a"), assistant("b"))
    assert problems(doc) == [("error", "config.model_client", "field required")]


def test_slot_of_wrong_type() -> None:
    doc = team(ROUND_ROBIN, assistant("a"), termination_condition="never")
    assert problems(doc) == [
        ("error", "config.termination_condition", "expected a component object ({provider, config, ...})")
    ]


def test_a_swarm_whose_first_assistant_cannot_hand_off_is_refused_at_its_handoffs() -> None:
    model = {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient", "config": {"chat_completions": []}}
    team = {"provider": "autogen_agentchat.teams.Swarm", "config": {"participants": [
        {"provider": "autogen_agentchat.agents.AssistantAgent", "config": {"name": "a", "model_client": model}},
        {"provider": "autogen_agentchat.agents.AssistantAgent",
         "config": {"name": "b", "model_client": model, "handoffs": ["a"]}}]}}
    errors = [p for p in validate_component(team) if p.severity == "error"]
    assert [p.path for p in errors] == ["config.participants[0].config.handoffs"]
