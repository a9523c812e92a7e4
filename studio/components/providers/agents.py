"""Agents: assistant (config versions 1 and 2), user proxy, code executor."""

from __future__ import annotations

from typing import Any

from ..errors import UnsupportedComponentError
from ..registry import ProviderSpec
from ..schemas import agents as s
from .base import attrs, build, plain, runtime_class

_AGENTS = "studio.runtime.agents"
ASSISTANT = "autogen_agentchat.agents.AssistantAgent"
STREAM_WORKBENCH = "autogen_core.tools.StaticStreamWorkbench"


def _workbenches(cfg: s.AssistantAgentConfig | s.AssistantAgentConfigV1, built: dict[str, Any]) -> list[Any] | None:
    """Version 1's single workbench becomes a list (loose `tools` go to the agent, which puts them in
    one StaticStreamWorkbench, as AutoGen 0.7.5 does)."""
    workbench = built["workbench"]
    if isinstance(cfg, s.AssistantAgentConfigV1):
        return [workbench] if workbench is not None and not cfg.redundant_workbench() else None
    return workbench or None


def _assistant(cfg: s.AssistantAgentConfig | s.AssistantAgentConfigV1, built: dict[str, Any]) -> Any:
    for name in ("memory", "structured_message_factory"):
        if getattr(cfg, name):
            reason = f"{name} is not supported by the studio runtime yet"
            raise UnsupportedComponentError(f"config.{name}", ASSISTANT, reason)
    handoff = runtime_class(f"{_AGENTS}.Handoff")
    defaults = {
        key: value
        for key, value in (("description", cfg.description), ("reflect_on_tool_use", cfg.reflect_on_tool_use),
                           ("tool_call_summary_format", cfg.tool_call_summary_format))
        if value is not None
    }
    return build(
        f"{_AGENTS}.AssistantAgent", cfg.name, built["model_client"],
        tools=built["tools"] or None, workbench=_workbenches(cfg, built),
        handoffs=[handoff(**h.model_dump()) for h in cfg.handoffs] if cfg.handoffs else None,
        model_context=built["model_context"], system_message=cfg.system_message,
        model_client_stream=cfg.model_client_stream, max_tool_iterations=cfg.max_tool_iterations,
        metadata=cfg.metadata, **defaults,
    )


def _dump_assistant(obj: Any, dump: Any) -> dict[str, Any]:
    """Version 2, like AutoGen: no `tools` (they live in the workbenches), `metadata` always an object."""
    data = attrs(obj, "name", "description", "system_message", "model_client_stream", "tool_call_summary_format",
                 "max_tool_iterations")
    return {
        **data,
        "model_client": dump(obj.model_client),
        "workbench": [dump(wb) for wb in obj.workbench or ()] or None,
        "handoffs": [plain(h) for h in obj.handoffs or ()] or None,
        "model_context": dump(obj.model_context),
        "reflect_on_tool_use": bool(obj.reflect_on_tool_use),
        "metadata": plain(obj.metadata) or {},
    }


def _canonical_assistant(data: dict[str, Any], cfg: s.AssistantAgentConfig | s.AssistantAgentConfigV1
                         ) -> dict[str, Any] | None:
    """Version 2 with its workbenches, as the agent dumps: loose `tools` (and version 1's single or redundant
    workbench) become the one StaticStreamWorkbench the runtime makes; no workbench gets an empty one.
    None when both tools and a workbench are set (an error: the runtime refuses it)."""
    for empty in ("handoffs", "memory"):
        if data.get(empty) == []:
            del data[empty]
    tools = data.pop("tools", None) or []
    benches = data.pop("workbench", None)
    if isinstance(cfg, s.AssistantAgentConfigV1):
        benches = [benches] if benches is not None and not cfg.redundant_workbench() else None
    if benches and tools:
        return None
    data["workbench"] = benches or [{"provider": STREAM_WORKBENCH, "config": {"tools": tools}}]
    return data


def _user_proxy(cfg: s.UserProxyAgentConfig, built: dict[str, Any]) -> Any:
    return build(f"{_AGENTS}.UserProxyAgent", cfg.name, description=cfg.description)


def _canonical_user_proxy(data: dict[str, Any], cfg: s.UserProxyAgentConfig) -> dict[str, Any]:
    """`input_func` is ignored (the studio asks through its own UI), and not written."""
    data.pop("input_func", None)
    return data


def _dump_user_proxy(obj: Any, dump: Any) -> dict[str, Any]:
    return attrs(obj, "name", "description")


def _code_executor_agent(cfg: s.CodeExecutorAgentConfig, built: dict[str, Any]) -> Any:
    return build(
        f"{_AGENTS}.CodeExecutorAgent", cfg.name, built["code_executor"], model_client=built["model_client"],
        model_context=built["model_context"], description=cfg.description, system_message=cfg.system_message,
        model_client_stream=cfg.model_client_stream, sources=cfg.sources,
        supported_languages=cfg.supported_languages,
    )


def _dump_code_executor_agent(obj: Any, dump: Any) -> dict[str, Any]:
    return {
        **attrs(obj, "name", "description", "sources", "system_message", "model_client_stream",
                "supported_languages"),
        "code_executor": dump(obj.code_executor),
        "model_client": dump(obj.model_client),
        "model_context": dump(obj.model_context),
    }


SPECS = [
    ProviderSpec(ASSISTANT, "agent", s.AssistantAgentConfig, _assistant, _dump_assistant, f"{_AGENTS}.AssistantAgent",
                 version=2, past_configs={1: s.AssistantAgentConfigV1}, canonical_config=_canonical_assistant),
    ProviderSpec("autogen_agentchat.agents.UserProxyAgent", "agent", s.UserProxyAgentConfig,
                 _user_proxy, _dump_user_proxy, f"{_AGENTS}.UserProxyAgent", canonical_config=_canonical_user_proxy),
    ProviderSpec("autogen_agentchat.agents.CodeExecutorAgent", "agent", s.CodeExecutorAgentConfig,
                 _code_executor_agent, _dump_code_executor_agent, f"{_AGENTS}.CodeExecutorAgent"),
]
