"""The Component library: a built-in template per provider the engine runs, with sensible defaults,
the single components shipped in `gallery/components/`, plus the agents, models, tools and terminations
found in the installed gallery templates (each once: `library_groups` folds the same ones together)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from studio.components import canonical_form, get_spec

from .draft import AND, OR, canonical, kind_of
from .library_groups import LibraryGroup, fold, fold_digest, grouped

GROUPS = {"team": "Teams", "agent": "Agents", "model": "Models", "tool": "Tools", "termination": "Terminations"}
DEFAULT_MODEL = "gpt-4o-mini"
_C = "autogen_agentchat.conditions."


@dataclass(frozen=True)
class LibraryItem:
    """One draggable component, in canonical form; `component_copy` gives a fresh copy each time.
    `sources` are the gallery templates that hold it; `name` is what its buttons call it, unique in the
    library (the label, plus where it comes from when another item has the same label)."""

    id: str
    label: str
    description: str
    component_type: str
    provider: str
    group: str
    component: dict[str, Any] = field(repr=False)
    sources: tuple[str, ...] = ()
    name: str = ""

    @property
    def from_gallery(self) -> bool:
        return self.id.startswith("gallery:")

    @property
    def source_note(self) -> str:
        """Where the gallery has it: "From Single assistant", "In 4 gallery templates", "Also in 2 ..."."""
        count = len(self.sources)
        if not count:
            return ""
        if not self.from_gallery:
            return f"Also in {count} gallery template{'s' if count > 1 else ''}"
        return f"From {self.sources[0]}" if count == 1 else f"In {count} gallery templates"

    def component_copy(self) -> dict[str, Any]:
        return copy.deepcopy(self.component)


def envelope(provider: str, config: dict[str, Any], label: str, description: str = "") -> dict[str, Any]:
    """A component in AutoGen's envelope, at the provider's current version."""
    spec = get_spec(provider)
    assert spec is not None, provider
    return {"provider": spec.provider, "component_type": spec.component_type, "version": spec.version,
            "component_version": spec.version, "label": label, "description": description, "config": config}


def default_model(model: str = DEFAULT_MODEL) -> dict[str, Any]:
    """An OpenAI client without a key (the key comes from Settings at run time)."""
    return envelope("autogen_ext.models.openai.OpenAIChatCompletionClient", {"model": model},
                    "OpenAI model", f"OpenAI {model}; the API key comes from Settings.")


def assistant(name: str = "assistant", system_message: str | None = None) -> dict[str, Any]:
    return envelope("autogen_agentchat.agents.AssistantAgent", {
        "name": name, "description": f"An assistant called {name}.",
        "system_message": system_message or "You are a helpful assistant. Reply TERMINATE when the task is done.",
        "model_client": default_model(), "model_client_stream": False, "reflect_on_tool_use": False,
        "max_tool_iterations": 1,
    }, "Assistant agent", "An LLM agent with a system message, a model and tools.")


def _termination(name: str, config: dict[str, Any], label: str, description: str) -> dict[str, Any]:
    return envelope(_C + name, config, label, description)


def text_mention(text: str = "TERMINATE") -> dict[str, Any]:
    return _termination("TextMentionTermination", {"text": text}, f"{text} mentioned",
                        f"Stops when a message mentions {text}.")


def max_messages(count: int = 10) -> dict[str, Any]:
    return _termination("MaxMessageTermination", {"max_messages": count, "include_agent_event": False},
                        f"{count} messages", f"Stops after {count} messages.")


WEATHER_TOOL = '''def get_weather(city: str, unit: str = "celsius") -> str:
    """The current weather in a city (an example: replace with a real lookup)."""
    return f"It is 21 degrees {unit} and sunny in {city}."
'''


def _teams() -> Iterator[tuple[str, dict[str, Any]]]:
    stop = envelope(OR, {"conditions": [text_mention(), max_messages()]}, "Done or 10 messages",
                    "Stops when TERMINATE is mentioned or after 10 messages.")
    pair = [assistant("writer", "You write. Reply TERMINATE when the text is final."),
            assistant("critic", "You review the writer's text and suggest improvements.")]
    common = {"participants": pair, "termination_condition": stop}
    yield "round-robin", envelope("autogen_agentchat.teams.RoundRobinGroupChat", common,
                                  "Round robin team", "Agents speak in turn.")
    yield "selector", envelope("autogen_agentchat.teams.SelectorGroupChat", {
        **copy.deepcopy(common), "model_client": default_model(), "allow_repeated_speaker": False,
        "max_selector_attempts": 3}, "Selector team", "A model picks who speaks next.")
    swarm = copy.deepcopy(pair)
    swarm[0]["config"]["handoffs"] = [{"target": "critic"}]
    swarm[1]["config"]["handoffs"] = [{"target": "writer"}]
    yield "swarm", envelope("autogen_agentchat.teams.Swarm", {"participants": swarm, "termination_condition":
                            copy.deepcopy(stop)}, "Swarm team", "Agents hand the conversation to each other.")
    yield "graph", envelope("autogen_agentchat.teams.GraphFlow", {
        **copy.deepcopy(common),
        "graph": {"nodes": {
            "writer": {"name": "writer", "edges": [{"target": "critic", "condition": None,
                                                    "activation_group": "critic", "activation_condition": "all"}],
                       "activation": "all"},
            "critic": {"name": "critic", "edges": [], "activation": "all"}},
            "default_start_node": "writer"}}, "GraphFlow team", "Agents run along the edges of a graph.")


def _agents() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "assistant", assistant()
    yield "user-proxy", envelope("autogen_agentchat.agents.UserProxyAgent",
                                 {"name": "user", "description": "A human user who answers in the playground."},
                                 "User proxy", "Asks a person for the reply.")
    yield "code-executor", envelope("autogen_agentchat.agents.CodeExecutorAgent", {
        "name": "code_executor", "description": "Runs the code blocks it is sent.",
        "code_executor": envelope("autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
                                  {"timeout": 60, "work_dir": "coding", "cleanup_temp_files": True},
                                  "Local executor", "Runs code in a local subprocess."),
        "supported_languages": ["python", "bash"]}, "Code executor", "Runs code blocks with a local executor.")


def _models() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "openai", default_model()
    yield "ollama", envelope("autogen_ext.models.openai.OpenAIChatCompletionClient", {
        "model": "llama3.2", "base_url": "http://localhost:11434/v1",
        "model_info": {"vision": False, "function_calling": True, "json_output": False,
                       "structured_output": False, "family": "unknown"}},
        "OpenAI-compatible model (Ollama)", "Any OpenAI-compatible server: Ollama, vLLM, LM Studio.")
    yield "azure", envelope("autogen_ext.models.openai.AzureOpenAIChatCompletionClient", {
        "model": "gpt-4o-mini", "azure_deployment": "gpt-4o-mini",
        "azure_endpoint": "https://YOUR-RESOURCE.openai.azure.com/", "api_version": "2024-06-01"},
        "Azure OpenAI model", "A deployment on Azure OpenAI; key and endpoint can come from Settings.")
    yield "replay", envelope("autogen_ext.models.replay.ReplayChatCompletionClient", {
        "chat_completions": ["Hello! TERMINATE"],
        "model_info": {"vision": False, "function_calling": True, "json_output": False,
                       "structured_output": False, "family": "unknown"}},
        "Replay model", "Replies with scripted answers, in order: for tests and demos without a key.")


def _tools() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "function", envelope("autogen_core.tools.FunctionTool", {
        "name": "get_weather", "description": "The current weather in a city.", "source_code": WEATHER_TOOL,
        "global_imports": [], "has_cancellation_support": False}, "Function tool", "A Python function the agent can call.")
    yield "http", envelope("autogen_ext.tools.http.HttpTool", {
        "name": "get_forecast", "description": "The forecast for a city.", "scheme": "https",
        "host": "api.example.com", "port": 443, "path": "/forecast/{city}", "method": "GET", "headers": None,
        "json_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        "return_type": "text", "timeout": 5.0}, "HTTP tool", "An HTTP endpoint the agent can call.")
    yield "python-code", envelope("autogen_ext.tools.code_execution.PythonCodeExecutionTool", {
        "executor": envelope("autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", {"timeout": 60},
                             "Local code executor"), "description": "Execute Python code blocks."},
        "Python code tool", "Runs the Python code the model writes, in the sandbox.")
    yield "agent", envelope("autogen_agentchat.tools.AgentTool", {"agent": envelope(
        "autogen_agentchat.agents.AssistantAgent", {"name": "researcher", "model_client": default_model()},
        "Assistant agent"), "return_value_as_last_message": True}, "Agent tool", "Another agent, given a task.")
    yield "team", envelope("autogen_agentchat.tools.TeamTool", {
        "name": "writing_team", "description": "Drafts and reviews a text.", "team": envelope(
            "autogen_agentchat.teams.RoundRobinGroupChat", {"participants": [envelope(
                "autogen_agentchat.agents.AssistantAgent", {"name": "writer", "model_client": default_model()},
                "Assistant agent")], "max_turns": 1}, "Round robin team"),
        "return_value_as_last_message": True}, "Team tool", "A team, given a task.")


def _terminations() -> Iterator[tuple[str, dict[str, Any]]]:
    yield "max-message", max_messages()
    yield "text-mention", text_mention()
    yield "stop-message", _termination("StopMessageTermination", {}, "Stop message", "Stops on a StopMessage.")
    yield "token-usage", _termination("TokenUsageTermination", {"max_total_token": 10000, "max_prompt_token": None,
                                      "max_completion_token": None}, "10,000 tokens", "Stops once 10,000 tokens are used.")
    yield "handoff", _termination("HandoffTermination", {"target": "user"}, "Handoff to user",
                                  "Stops when an agent hands off to the user.")
    yield "timeout", _termination("TimeoutTermination", {"timeout_seconds": 300}, "5 minutes",
                                  "Stops after 5 minutes.")
    yield "external", _termination("ExternalTermination", {}, "Stop button", "Stops when stopped from outside.")
    yield "source-match", _termination("SourceMatchTermination", {"sources": ["critic"]}, "critic spoke",
                                       "Stops after the named agents speak.")
    yield "text-message", _termination("TextMessageTermination", {"source": None}, "Any text message",
                                       "Stops on a text message (from a given agent, optionally).")
    yield "function-call", _termination("FunctionCallTermination", {"function_name": "approve"},
                                        "approve called", "Stops once a tool with this name has run.")
    yield "or", envelope(OR, {"conditions": [text_mention(), max_messages()]}, "TERMINATE or 10 messages",
                         "Stops when either condition is met.")
    yield "and", envelope(AND, {"conditions": [text_mention("APPROVE"), max_messages(4)]},
                          "APPROVE and 4 messages", "Stops when both conditions are met.")


def builtin_items() -> list[LibraryItem]:
    """One template per provider the engine runs (a few have variants: Ollama, Or/And)."""
    items = []
    for source in (_teams, _agents, _models, _tools, _terminations):
        for key, component in source():
            items.append(_item(f"builtin:{component['component_type']}:{key}", component))
    return items


def _item(item_id: str, component: dict[str, Any], *, from_gallery: bool = False) -> LibraryItem:
    component = canonical_form(component)
    kind = str(kind_of(component))
    config = component.get("config") or {}
    label = str(component.get("label") or config.get("name") or canonical(component["provider"]).rsplit(".", 1)[-1])
    if from_gallery and kind == "agent" and config.get("name"):
        label = str(config["name"])  # gallery agents are best known by name
    description = component.get("description") or (config.get("description") if kind == "agent" else "") or ""
    return LibraryItem(item_id, label, str(description), kind, canonical(component["provider"]),
                       GROUPS.get(kind, "Other"), component, name=label)


def _parts(component: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The agents, models, tools and terminations in a gallery item (itself included), depth first."""
    def walk(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict) and isinstance(node.get("provider"), str):
            if kind_of(node) in ("agent", "model", "tool", "termination"):
                yield node
            for value in (node.get("config") or {}).values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
    yield from walk(component)


def gallery_items(session: Session) -> list[tuple[str, LibraryItem]]:
    """The components of the installed galleries (single ones, and those inside team templates), each with
    the label of the template it is in; items the engine cannot run are left out."""
    from studio.store.galleries import list_templates

    items: list[tuple[str, LibraryItem]] = []
    for template in list_templates(session):
        if template.unsupported:
            continue
        for part in _parts(template.component):
            digest = hashlib.sha1(fold_digest(part).encode()).hexdigest()[:12]
            items.append((template.label, _item(f"gallery:{digest}", copy.deepcopy(part), from_gallery=True)))
    return items


def library(session: Session | None = None) -> list[LibraryItem]:
    """Built-in templates, then the galleries' components; the same component only once, remembering the
    gallery templates that hold it."""
    return fold(builtin_items(), gallery_items(session) if session is not None else [])


def library_groups(items: list[LibraryItem], text: str = "") -> list[LibraryGroup]:
    """The library as its page shows it: the items matching `text` (all without), in groups by kind."""
    return grouped(search(items, text) if text.strip() else items, GROUPS, searched=bool(text.strip()))


def search(items: list[LibraryItem], text: str) -> list[LibraryItem]:
    """Items matching every word of `text` in label, description, group, type or provider (any case)."""
    words = text.lower().split()
    return [item for item in items
            if all(w in f"{item.label} {item.description} {item.group} {item.component_type} {item.provider} "
                        f"{' '.join(item.sources)}".lower() for w in words)]


def get_item(items: list[LibraryItem], item_id: str) -> LibraryItem | None:
    return next((item for item in items if item.id == item_id), None)


__all__ = ["GROUPS", "LibraryGroup", "LibraryItem", "assistant", "builtin_items", "default_model", "envelope",
           "gallery_items", "get_item", "library", "library_groups", "max_messages", "search", "text_mention"]
