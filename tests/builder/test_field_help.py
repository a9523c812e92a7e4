"""Help texts of the properties panel (builder/field_help.py): specific for every field the component format
documents, never the generic fallback, and short."""

from __future__ import annotations

from typing import Any

import pytest

from studio.builder.field_help import BY_FIELD, BY_PROVIDER, BY_TYPE, help_for
from studio.builder.forms import Form, FormField, form_for
from studio.components import get_spec, providers

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


def leaves(form: Form) -> list[FormField]:
    return [leaf for f in form.fields for leaf in f.leaves()]


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
    for text in BY_FIELD.values():
        assert text.count(". ") <= 2 and len(text) < 240, text


def test_help_is_looked_up_by_provider_then_component_type_then_field() -> None:
    assert help_for("CodeExecutorAgent", "agent", "model_client") == BY_PROVIDER[("CodeExecutorAgent", "model_client")]
    assert help_for("AssistantAgent", "agent", "model_client") == BY_TYPE[("agent", "model_client")]
    assert help_for("AssistantAgent", "agent", "target") == BY_FIELD["target"]
    assert help_for("AssistantAgent", "agent", "no_such_field") is None  # forms then use the schema's description
