"""Team components for the record/replay tests: the four kinds the issue names, built as AutoGen JSON.

Models are OpenAI clients pointed at the loopback `openai_server` (a real `openai` client path) with a
secret-looking key, so the tests can check the key never reaches a replay component.
"""

from __future__ import annotations

from typing import Any

from studio.playground.compare import CHUNK_TYPE, trace_keys

API_KEY = "sk-test-secret-1234567890"
TOOL_SOURCE = 'def add(a: int, b: int) -> int:\n    """Add two integers."""\n    return a + b\n'


def envelope(provider: str, kind: str, config: dict[str, Any], version: int = 1) -> dict[str, Any]:
    return {"provider": provider, "component_type": kind, "version": version, "component_version": version,
            "label": provider.rsplit(".", 1)[-1], "config": config}


def openai_model(base_url: str, model: str = "gpt-4o", **extra: Any) -> dict[str, Any]:
    config = {"model": model, "api_key": API_KEY, "base_url": base_url, "max_retries": 0} | extra
    return envelope("autogen_ext.models.openai.OpenAIChatCompletionClient", "model", config)


def assistant(name: str, model: dict[str, Any], *, tools: bool = False, handoffs: list[str] = (),
              stream: bool = False) -> dict[str, Any]:
    config: dict[str, Any] = {"name": name, "model_client": model, "system_message": f"You are {name}.",
                              "model_client_stream": stream}
    if tools:
        tool = envelope("autogen_core.tools.FunctionTool", "tool",
                        {"source_code": TOOL_SOURCE, "name": "add", "description": "Add two integers.",
                         "global_imports": [], "has_cancellation_support": False})
        config["workbench"] = [envelope("autogen_core.tools.StaticStreamWorkbench", "workbench", {"tools": [tool]})]
    if handoffs:
        config["handoffs"] = [{"target": t, "name": f"transfer_to_{t}", "description": f"Handoff to {t}.",
                               "message": f"Transferred to {t}."} for t in handoffs]
    return envelope("autogen_agentchat.agents.AssistantAgent", "agent", config, version=2)


def user_proxy(name: str = "user") -> dict[str, Any]:
    return envelope("autogen_agentchat.agents.UserProxyAgent", "agent", {"name": name, "description": "A human."})


def max_messages(n: int) -> dict[str, Any]:
    return envelope("autogen_agentchat.conditions.MaxMessageTermination", "termination", {"max_messages": n})


def team(kind: str, participants: list[dict[str, Any]], **config: Any) -> dict[str, Any]:
    return envelope(f"autogen_agentchat.teams.{kind}", "team", {"participants": participants} | config)


def comparable(items: list[Any]) -> tuple[list[Any], list[Any], str | None]:
    """A run's trace keys (type, source, content as text), each event's token usage, and the stop reason.

    `items` are a run's stream (Studio's or AutoGen's objects) or the CLI's JSON lines; the last is the result.
    """
    dumps = [item if isinstance(item, dict) else item.model_dump(mode="json") if hasattr(item, "stop_reason")
             else item.dump() for item in items]
    stop = next((d["stop_reason"] for d in dumps if "stop_reason" in d), None)
    events = [d for d in dumps if "stop_reason" not in d]
    usage = [e.get("models_usage") for e in events if e.get("type") != CHUNK_TYPE]
    return trace_keys(events), usage, stop


async def run_items(team_obj: Any, task: str) -> list[Any]:
    return [item async for item in team_obj.run_stream(task=task)]
