"""Short human descriptions of components, for the canvas, previews and lists."""

from __future__ import annotations

from typing import Any

_CONDITIONS = "autogen_agentchat.conditions."


def describe_termination(component: dict[str, Any]) -> str:
    """When a team stops, in a few words: "'TERMINATE' mentioned or 10 messages".

    A label the user gave wins; AutoGen's default label (the class name) does not count.
    """
    provider = str(component.get("provider", ""))
    name = provider.rsplit(".", 1)[-1]
    label = component.get("label")
    if label and label != name:
        return str(label)
    config = component.get("config") or {}
    if name in ("OrTerminationCondition", "AndTerminationCondition"):
        joiner = " or " if name.startswith("Or") else " and "
        parts = [_nested(c, name) for c in config.get("conditions") or [] if isinstance(c, dict)]
        return joiner.join(parts) or name
    return _single(name, config)


def _nested(component: dict[str, Any], parent: str) -> str:
    text = describe_termination(component)
    inner = str(component.get("provider", "")).rsplit(".", 1)[-1]
    combined = inner in ("OrTerminationCondition", "AndTerminationCondition") and inner != parent
    return f"({text})" if combined else text


def _single(name: str, config: dict[str, Any]) -> str:
    match name:
        case "MaxMessageTermination":
            return f"{config.get('max_messages', '?')} messages"
        case "TextMentionTermination":
            return f"'{config.get('text', '')}' mentioned"
        case "StopMessageTermination":
            return "a stop message"
        case "TokenUsageTermination":
            limit = config.get("max_total_token") or config.get("max_prompt_token") or config.get("max_completion_token")
            return f"{limit} tokens used"
        case "HandoffTermination":
            return f"handoff to {config.get('target', '?')}"
        case "TimeoutTermination":
            return f"{config.get('timeout_seconds', '?')} s elapsed"
        case "ExternalTermination":
            return "stopped from outside"
        case "SourceMatchTermination":
            return f"{', '.join(config.get('sources') or [])} answered"
        case "TextMessageTermination":
            source = config.get("source")
            return f"a text message from {source}" if source else "a text message"
        case "FunctionCallTermination":
            return f"{config.get('function_name', '?')} called"
    return name
