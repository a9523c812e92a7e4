"""The properties panel's forms: every config field of every provider, their kinds and help, and
`parse_form` turning browser submissions back into typed components without touching the input."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studio.builder.forms import (
    CHECKED,
    Form,
    FormField,
    edge_form,
    form_for,
    parse_edge_form,
    parse_form,
)
from studio.builder.library import builtin_items
from studio.components import MASK, get_spec, providers
from studio.runtime.config import slots_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "autogen"
FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))
CONFIG_FIELDS_OF_DOC = {
    # every field component-format.md names, by provider class
    "RoundRobinGroupChat": "participants termination_condition max_turns name description emit_team_events",
    "SelectorGroupChat": "model_client selector_prompt allow_repeated_speaker max_selector_attempts "
                         "model_client_streaming",
    "GraphFlow": "graph",
    "MagenticOneGroupChat": "max_stalls final_answer_prompt",
    "AssistantAgent": "name description system_message model_client workbench handoffs model_context "
                      "model_client_stream reflect_on_tool_use tool_call_summary_format max_tool_iterations "
                      "metadata",
    "CodeExecutorAgent": "code_executor model_client system_message supported_languages",
    "LocalCommandLineCodeExecutor": "timeout work_dir cleanup_temp_files",
    "OpenAIChatCompletionClient": "model api_key base_url model_info temperature max_tokens timeout "
                                  "max_retries",
    "AzureOpenAIChatCompletionClient": "azure_endpoint azure_deployment api_version",
    "ReplayChatCompletionClient": "chat_completions model_info",
    "FunctionTool": "name description source_code global_imports has_cancellation_support",
    "BufferedChatCompletionContext": "buffer_size",
    "HeadAndTailChatCompletionContext": "head_size tail_size",
    "MaxMessageTermination": "max_messages include_agent_event",
    "TextMentionTermination": "text",
    "TokenUsageTermination": "max_total_token max_prompt_token max_completion_token",
    "HandoffTermination": "target",
    "TimeoutTermination": "timeout_seconds",
    "SourceMatchTermination": "sources",
    "TextMessageTermination": "source",
    "FunctionCallTermination": "function_name",
    "OrTerminationCondition": "conditions",
}


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def walk(component: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every component inside a document (itself included), with its path."""
    yield path, component
    spec = get_spec(str(component.get("provider", "")))
    config = component.get("config") or {}
    for slot in slots_of(spec.config) if spec else ():
        value = config.get(slot.field)
        items = value if isinstance(value, list) else [value]
        for i, child in enumerate(items):
            if isinstance(child, dict):
                yield from walk(child, f"{path}.{slot.field}[{i}]")


def every_component() -> list[Any]:
    """Every component of the AutoGen fixtures and of the library's templates, at every depth."""
    found = []
    for file in FIXTURE_FILES:
        for path, component in walk(json.loads(file.read_text())):
            found.append(pytest.param(component, id=f"{file.stem}{path}"))
    for item in builtin_items():
        for path, component in walk(item.component_copy()):
            found.append(pytest.param(component, id=f"{item.id}{path}"))
    return found


def leaves(form: Form) -> list[FormField]:
    return [leaf for f in form.fields for leaf in f.leaves()]


def submit(component: dict[str, Any], **changes: str | list[str] | None) -> tuple[dict[str, Any], list[str]]:
    """Submit the component's own form with some inputs changed (None: left out, like an unticked box);
    checks the input component is not mutated."""
    before = copy.deepcopy(component)
    values: dict[str, Any] = form_for(component).submission()
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    new, problems = parse_form(component, values)
    assert component == before
    return new, [str(p) for p in problems if p.severity == "error"]


# --- coverage -------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", providers(), ids=lambda s: s.name)
def test_every_provider_has_a_form_with_every_config_field(spec: Any) -> None:
    for component in ({"provider": spec.provider, "config": {}}, load(spec.provider)):
        form = form_for(component)
        models = [spec.config, *spec.past_configs.values()]
        model = spec.config_for(component.get("component_version"))
        assert model in models
        paths = [f.path for f in form.fields]
        assert paths[:2] == ["label", "description"]
        written = [name for name, info in model.model_fields.items() if not info.exclude]  # not run-time-only ones
        assert sorted(paths[2:]) == sorted(f"config.{name}" for name in written)
        for field in form.fields:
            for leaf in [field, *field.leaves()]:
                assert leaf.help.strip() and leaf.label, leaf.path
            assert field.required == (field.path != "label" and field.path != "description"
                                      and model.model_fields[field.name].is_required())


@pytest.mark.parametrize("name", sorted(CONFIG_FIELDS_OF_DOC))
def test_documented_fields_have_specific_help(name: str) -> None:
    spec = get_spec(name)
    assert spec is not None
    form = form_for({"provider": spec.provider, "config": {}})
    generic = f"setting of {spec.name}"
    for field_name in CONFIG_FIELDS_OF_DOC[name].split():
        field = form.field(f"config.{field_name}")
        assert generic not in field.help, field.path


@pytest.mark.parametrize("spec", providers(), ids=lambda s: s.name)
def test_no_field_falls_back_to_generic_help(spec: Any) -> None:
    for field in leaves(form_for({"provider": spec.provider, "config": {}})):
        assert f"setting of {spec.name}" not in field.help, field.path


def test_help_texts_are_short() -> None:
    texts = {leaf.help for spec in providers() for leaf in leaves(form_for({"provider": spec.provider, "config": {}}))}
    assert len(texts) > 100
    for text in texts:
        assert text.count(". ") <= 2 and len(text) < 240, text


# --- kinds ----------------------------------------------------------------------------------------


def test_kinds_of_representative_fields() -> None:
    agent = form_for(load("autogen_agentchat.agents.AssistantAgent"))
    assert agent.field("config.system_message").kind == "textarea"
    assert agent.field("config.model_client").kind == "component"
    assert agent.field("config.max_tool_iterations").kind == "integer"
    assert agent.field("config.max_tool_iterations").minimum == 1
    assert agent.field("config.model_client_stream").kind == "checkbox"
    assert agent.field("config.metadata").kind == "json"
    assert agent.field("config.reflect_on_tool_use").kind == "select"  # yes / no / default
    assert agent.field("config.handoffs").kind == "rows"
    tool = form_for(load("autogen_core.tools.FunctionTool"))
    assert tool.field("config.source_code").kind == "code"
    assert tool.field("config.source_code").value.startswith("def ")
    team = form_for(load("autogen_agentchat.teams.RoundRobinGroupChat"))
    participants = team.field("config.participants")
    assert participants.kind == "component" and participants.many and participants.required
    assert [r.path for r in participants.refs][:2] == ["config.participants[0]", "config.participants[1]"]
    assert participants.refs[0].title == "planner"
    assert team.field("config.max_turns").kind == "integer"
    assert team.field("config.termination_condition").accepts == ("termination",)
    model = form_for(load("autogen_ext.models.openai.OpenAIChatCompletionClient"))
    effort = model.field("config.reasoning_effort")
    assert effort.kind == "select" and [c for c, _ in effort.choices] == ["", "minimal", "low", "medium", "high"]
    assert model.field("config.temperature").kind == "number"
    assert model.field("config.default_headers").kind == "json"
    assert form_for(load("autogen_agentchat.conditions.SourceMatchTermination")).field(
        "config.sources").kind == "list_text"
    code_agent = form_for(load("autogen_agentchat.agents.CodeExecutorAgent"))
    assert code_agent.field("config.supported_languages").kind == "list_text"


def graph_edge() -> dict[str, Any]:
    team = load("autogen_agentchat.teams.GraphFlow")
    nodes = team["config"]["graph"]["nodes"]
    return next(edge for node in nodes.values() for edge in node["edges"])


def test_edge_form_has_condition_and_activation() -> None:
    edge = {**graph_edge(), "activation_condition": "any"}
    form = edge_form(edge)
    assert [f.path for f in form.fields] == ["target", "condition", "activation_group", "activation_condition"]
    activation = form.field("activation_condition")
    assert activation.kind == "select" and activation.value == "any"
    assert [c for c, _ in activation.choices] == ["all", "any"]
    assert all(f.help and "setting of" not in f.help for f in form.fields)
    before = copy.deepcopy(edge)
    assert parse_edge_form(edge, form.submission()) == (edge, [])
    new, problems = parse_edge_form(edge, {**form.submission(), "condition": "APPROVE", "activation_group": ""})
    assert edge == before and problems == []
    assert new["condition"] == "APPROVE" and "activation_group" not in new
    new, problems = parse_edge_form(new, {**form_for_edge(new), "condition": ""})
    assert problems == [] and new["condition"] is None
    new, problems = parse_edge_form(edge, {**form.submission(), "activation_condition": "some"})
    assert new == edge and problems and problems[0].path == "activation_condition"


def test_edge_target_is_a_select_of_participants() -> None:
    edge = graph_edge()
    form = edge_form(edge, ["planner", "critic", edge["target"]])
    target = form.field("target")
    assert target.kind == "select" and target.value == edge["target"]
    assert [c for c, _ in target.choices] == list(dict.fromkeys(["planner", "critic", edge["target"]]))
    new, problems = parse_edge_form(edge, {**form.submission(), "target": "nobody"}, ["planner", "critic"])
    assert new == edge and [p.path for p in problems] == ["target"]


def form_for_edge(edge: dict[str, Any]) -> dict[str, str]:
    return edge_form(edge).submission()


def test_secret_never_carries_the_value() -> None:
    component = load("autogen_ext.models.openai.OpenAIChatCompletionClient")
    component["config"]["api_key"] = "sk-real-secret"
    form = form_for(component)
    key = form.field("config.api_key")
    assert key.kind == "secret" and key.value is None and key.is_set
    assert "sk-real-secret" not in repr(form) and "sk-real-secret" not in json.dumps(form.submission())
    del component["config"]["api_key"]
    assert not form_for(component).field("config.api_key").is_set


def test_defaults_are_shown_when_absent() -> None:
    form = form_for({"provider": "autogen_agentchat.agents.AssistantAgent", "config": {"name": "a"}})
    iterations = form.field("config.max_tool_iterations")
    assert iterations.value == "1" and iterations.is_default
    assert not form.field("config.name").is_default
    team = form_for({"provider": "autogen_agentchat.teams.SelectorGroupChat", "config": {}})
    assert team.field("config.max_selector_attempts").value == "3"


def test_defaults_the_canonical_form_wrote_still_count_as_defaults() -> None:
    """A draft is kept canonical, every default written out: those fields still fold under More settings."""
    from studio.components import canonical_form

    agent = canonical_form({"provider": "autogen_agentchat.agents.AssistantAgent",
                            "config": {"name": "a", "model_client": {"provider": "OpenAIChatCompletionClient",
                                                                     "config": {"model": "gpt-4o"}},
                                       "tool_call_summary_format": "Result: {result}"}})
    form = form_for(agent)
    assert form.field("config.reflect_on_tool_use").is_default and form.field("config.metadata").is_default
    assert not form.field("config.tool_call_summary_format").is_default  # set to something of its own
    folded = [f.name for f in form.split()[1]]
    assert "reflect_on_tool_use" in folded and "tool_call_summary_format" not in folded


def test_model_info_is_a_sub_form() -> None:
    form = form_for(load("autogen_ext.models.openai.OpenAIChatCompletionClient"))
    info = form.field("config.model_info")
    assert info.kind == "group"
    kinds = {f.name: f.kind for f in info.fields}
    assert kinds == {"vision": "checkbox", "function_calling": "checkbox", "json_output": "checkbox",
                     "structured_output": "checkbox", "family": "text"}
    assert {f.name: f.value for f in info.fields}["function_calling"] is True


def test_problems_find_their_input() -> None:
    form = form_for(load("autogen_agentchat.teams.GraphFlow"))
    assert form.field_at("config.graph.nodes.a.edges[0]").path == "config.graph"
    assert form.field_at("config.max_turns").path == "config.max_turns"
    assert form.field_at("config.participants[0].config.name").path == "config.participants"
    assert form.field_at("provider") is None
    model = form_for(load("autogen_ext.models.openai.OpenAIChatCompletionClient"))
    assert model.field_at("config.model_info.family").path == "config.model_info.family"
    agent = form_for(load("autogen_agentchat.agents.AssistantAgent"))
    assert agent.field_at("config.handoffs[0].name").path == "config.handoffs[0].name"


def test_unknown_provider_gets_its_config_as_json() -> None:
    component = {"provider": "x.Nope", "config": {"a": 1}}
    form = form_for(component)
    assert form.field("config").kind == "json"
    new, problems = submit(component, config='{"a": 2}')
    assert new["config"] == {"a": 2}
    assert any("unknown provider" in p for p in problems)


# --- round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("component", every_component())
def test_unchanged_form_gives_back_an_equal_component(component: dict[str, Any]) -> None:
    new, problems = submit(component)
    assert new == component and new is not component
    assert [p for p in problems if "cannot run here" not in p] == []  # an opaque node (MagenticOne) says so


@pytest.mark.parametrize("component", every_component())
def test_every_shown_value_converts_back_to_the_stored_value(component: dict[str, Any]) -> None:
    """The conversion itself, without the "unchanged fields are kept" shortcut."""
    from studio.builder._form_input import convert

    form = form_for(component)
    submission = form.submission()
    config = component["config"]
    for field in form.fields:
        if field.kind in ("component", "secret") or field.path in ("label", "description"):
            continue
        if field.name not in config or config[field.name] is None:
            continue
        expected = config[field.name]
        if field.kind == "rows":
            expected = [{"target": h} if isinstance(h, str) else h for h in expected] or None
        assert convert(field, submission, config[field.name]) == expected, field.path


# --- parsing --------------------------------------------------------------------------------------


def test_values_are_typed() -> None:
    team = load("autogen_agentchat.teams.SelectorGroupChat")
    new, problems = submit(team, config__max_turns="7", config__selector_prompt="Pick\r\none",
                           config__allow_repeated_speaker=CHECKED, label="")
    assert problems == []
    assert new["config"]["max_turns"] == 7
    assert new["config"]["selector_prompt"] == "Pick\none"
    assert new["config"]["allow_repeated_speaker"] is True
    assert "label" not in new
    model = load("autogen_ext.models.openai.OpenAIChatCompletionClient")
    new, problems = submit(model, config__temperature="1", config__max_tokens="", config__reasoning_effort="low",
                           config__default_headers='{"X-A": "b"}', config__parallel_tool_calls="false")
    assert problems == []
    assert new["config"]["temperature"] == 1.0 and isinstance(new["config"]["temperature"], float)
    assert "max_tokens" not in new["config"]
    assert new["config"]["reasoning_effort"] == "low"
    assert new["config"]["default_headers"] == {"X-A": "b"}
    assert new["config"]["parallel_tool_calls"] is False


def test_list_text_is_one_item_per_line() -> None:
    condition = load("autogen_agentchat.conditions.SourceMatchTermination")
    new, problems = submit(condition, config__sources="writer\n\n  critic  \n")
    assert problems == [] and new["config"]["sources"] == ["writer", "critic"]
    new, _ = submit(condition, config__sources=["a", "b"])
    assert new["config"]["sources"] == ["a", "b"]


def test_parse_errors_name_the_path_and_apply_nothing() -> None:
    team = load("autogen_agentchat.teams.RoundRobinGroupChat")
    new, problems = submit(team, config__max_turns="ten", config__name="renamed")
    assert problems == ["config.max_turns: enter a whole number"]
    assert new == team
    agent = load("autogen_agentchat.agents.AssistantAgent")
    new, problems = submit(agent, config__metadata="{oops", config__max_tool_iterations="2.5")
    assert sorted(p.split(":")[0] for p in problems) == ["config.max_tool_iterations", "config.metadata"]
    assert new == agent
    model = load("autogen_ext.models.openai.OpenAIChatCompletionClient")
    _, problems = submit(model, config__temperature="hot", config__reasoning_effort="extreme")
    assert problems == ["config.temperature: enter a number",
                        "config.reasoning_effort: choose one of 'minimal', 'low', 'medium', 'high'"]


def test_validation_problems_of_the_result_are_included() -> None:
    condition = load("autogen_agentchat.conditions.MaxMessageTermination")
    new, problems = submit(condition, config__max_messages="0")
    assert new["config"]["max_messages"] == 0
    assert problems and problems[0].startswith("config.max_messages: ")
    _, problems = submit(condition, config__max_messages="")
    assert problems == ["config.max_messages: enter a whole number"]


def test_problems_inside_nested_components_are_left_out() -> None:
    agent = load("autogen_agentchat.agents.AssistantAgent")
    agent["config"]["model_client"]["config"]["temperature"] = "hot"
    _, problems = submit(agent)
    assert problems == []


def test_checkboxes_ticked_and_unticked() -> None:
    condition = load("autogen_agentchat.conditions.MaxMessageTermination")
    new, _ = submit(condition, config__include_agent_event="on")
    assert new["config"]["include_agent_event"] is True
    new, _ = parse_form(new, {**form_for(new).submission(), "config.include_agent_event": ["false", "on"]})
    assert new["config"]["include_agent_event"] is True
    values = form_for(new).submission()
    del values["config.include_agent_event"]  # what a browser sends for an unticked box
    unticked, _ = parse_form(new, values)
    assert unticked["config"]["include_agent_event"] is False


def test_secret_is_kept_when_left_empty_and_replaced_when_typed() -> None:
    model = load("autogen_ext.models.openai.OpenAIChatCompletionClient")
    model["config"]["api_key"] = "sk-old"
    new, _ = submit(model, config__temperature="0.5")
    assert new["config"]["api_key"] == "sk-old"
    new, _ = submit(model, config__api_key=MASK)
    assert new["config"]["api_key"] == "sk-old"
    new, _ = submit(model, config__api_key="sk-new")
    assert new["config"]["api_key"] == "sk-new"
    new, _ = submit(model, **{"config__api_key!clear": "on"})
    assert "api_key" not in new["config"]


def test_model_info_sub_form() -> None:
    model = load("autogen_ext.models.openai.OpenAIChatCompletionClient")
    model["config"]["model_info"]["multiple_system_messages"] = True
    new, problems = submit(model, config__model_info__vision="on", config__model_info__family="llama")
    assert problems == []
    assert new["config"]["model_info"] == {"vision": True, "function_calling": True, "json_output": False,
                                           "structured_output": False, "family": "llama",
                                           "multiple_system_messages": True}
    new, problems = submit(model, config__model_info__family="", config__model_info__function_calling=None)
    assert problems == [] and "model_info" not in new["config"]


def test_handoff_rows() -> None:
    agent = load("autogen_agentchat.agents.AssistantAgent")
    rows = form_for(agent).field("config.handoffs").rows
    assert len(rows) == len(agent["config"]["handoffs"]) + 1  # a blank row to add one
    assert [f.name for f in rows[0]] == ["target", "name", "description", "message"]
    new, problems = submit(agent, **{"config.handoffs[1].target": "user"})
    assert problems == []
    assert new["config"]["handoffs"][-1] == {"target": "user"}
    new, problems = submit(new, **{"config.handoffs[0].target": "", "config.handoffs[1].target": ""})
    assert problems == [] and "handoffs" not in new["config"]


def test_fields_left_out_of_a_submission_are_unchanged() -> None:
    team = load("autogen_agentchat.teams.RoundRobinGroupChat")
    new, problems = parse_form(team, {"config.max_turns": "3"})
    assert problems == []
    assert new["config"] == {**team["config"], "max_turns": 3}
    assert new.get("label") == team.get("label")


def test_a_long_form_folds_unused_optional_fields_and_keeps_errors_in_view() -> None:
    model = {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
             "config": {"model": "gpt-4o-mini", "temperature": 0.2}}
    form = form_for(model)
    shown, folded = form.split()
    names = [f.name for f in shown]
    assert {"label", "model", "base_url", "api_key", "model_info", "temperature"} <= set(names)  # set or essential
    assert "seed" in [f.name for f in folded] and "seed" not in names
    assert len(shown) + len(folded) == len(form.fields)
    shown, folded = form.split({"config.seed"})
    assert "seed" in [f.name for f in shown]
    short = form_for({"provider": "autogen_agentchat.conditions.MaxMessageTermination", "config": {"max_messages": 3}})
    assert short.split() == (short.fields, ())


# ---- an MCP server's params: one form per kind ------------------------------------------------------------

def _mcp(params: dict[str, Any]) -> dict[str, Any]:
    return {"provider": "autogen_ext.tools.mcp.McpWorkbench", "component_type": "workbench", "version": 1,
            "component_version": 1, "config": {"server_params": params, "tool_overrides": {}}}


def test_server_params_are_a_form_of_the_chosen_kind() -> None:
    stdio = form_for(_mcp({"type": "StdioServerParams", "command": "python", "args": ["s.py", "-v"],
                           "env": {"A": "1"}}))
    params = stdio.field("config.server_params")
    assert params.kind == "variant" and stdio.fields[2] is params  # first after the envelope
    kind, *fields = params.fields
    assert (kind.kind, kind.value) == ("select", "StdioServerParams")
    assert [v for v, _ in kind.choices] == ["StdioServerParams", "SseServerParams", "StreamableHttpServerParams"]
    shown = {f.name: (f.kind, f.value) for f in fields}
    assert shown["command"] == ("text", "python") and shown["args"] == ("list_text", "s.py\n-v")
    assert shown["env"][0] == "json" and shown["cwd"] == ("text", "") and shown["read_timeout_seconds"] == ("number", "5")
    assert shown["encoding_error_handler"][0] == "select" and "type" not in shown
    http = form_for(_mcp({"type": "StreamableHttpServerParams", "url": "http://h/mcp"})).field("config.server_params")
    assert [f.name for f in http.fields] == ["type", "url", "headers", "timeout", "sse_read_timeout",
                                             "terminate_on_close"]


def test_an_untouched_params_form_changes_nothing_and_an_edit_keeps_the_rest() -> None:
    component = _mcp({"type": "StdioServerParams", "command": "python", "args": ["s.py"], "read_timeout_seconds": 5})
    form = form_for(component)
    assert parse_form(component, form.submission()) == (component, [])
    edited, problems = parse_form(component, {**form.submission(), "config.server_params.cwd": "/srv"})
    assert problems == [] and edited["config"]["server_params"] == {**component["config"]["server_params"],
                                                                    "cwd": "/srv"}
    bad, problems = parse_form(component, {**form.submission(), "config.server_params.read_timeout_seconds": "soon"})
    assert bad == component and [(p.path, p.message) for p in problems] == [
        ("config.server_params.read_timeout_seconds", "enter a number")]


def test_switching_the_kind_keeps_the_values_that_carry_over() -> None:
    sse = _mcp({"type": "SseServerParams", "url": "http://h/sse", "headers": {"X": "1"}, "timeout": 7})
    submitted = {**form_for(sse).submission(), "config.server_params.type": "StreamableHttpServerParams"}
    http, problems = parse_form(sse, submitted)
    assert problems == []
    assert http["config"]["server_params"] == {"type": "StreamableHttpServerParams", "url": "http://h/sse",
                                               "headers": {"X": "1"}, "timeout": 7.0, "sse_read_timeout": 300.0}
    submitted = {**form_for(http).submission(), "config.server_params.type": "StdioServerParams"}
    stdio, problems = parse_form(http, submitted)
    assert stdio["config"]["server_params"] == {"type": "StdioServerParams"}  # nothing of a URL carries over
    assert [(p.path, p.message) for p in problems] == [("config.server_params.command", "field required")]
    assert form_for(stdio).field_at("config.server_params.command").path == "config.server_params.command"
    wrong = {**form_for(sse).submission(), "config.server_params.type": "Telnet"}
    assert [p.path for p in parse_form(sse, wrong)[1]] == ["config.server_params.type"]


def test_an_adapters_params_are_a_form_of_its_one_kind() -> None:
    item = next(i for i in builtin_items() if i.provider == "autogen_ext.tools.mcp.SseMcpToolAdapter")
    form = form_for(item.component)
    params = form.field("config.server_params")
    assert params.kind == "variant" and params.fields[0].choices == (("SseServerParams", "Server-sent events (SSE)"),)
    assert form.field("config.tool").kind == "json"
    assert parse_form(item.component, form.submission()) == (item.component, [])
