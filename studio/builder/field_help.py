"""Help texts and labels of the properties panel: one or two sentences per config field, for people
building teams, not for Python programmers. Looked up by (provider class, field), then (component type,
field), then field alone; `forms.py` falls back to the schema's description."""

from __future__ import annotations

LABELS: dict[str, str] = {
    "api_key": "API key",
    "base_url": "Base URL",
    "azure_ad_token": "Azure AD token",
    "azure_ad_token_provider": "Azure AD token provider",
    "json_output": "JSON output",
    "top_p": "Top p",
    "n": "Number of replies (n)",
    "max_total_token": "Max total tokens",
    "max_prompt_token": "Max prompt tokens",
    "max_completion_token": "Max completion tokens",
    "workbench": "Workbenches",
    "input_func": "Input function",
}
"""Labels that `name.replace("_", " ").capitalize()` gets wrong."""

ENVELOPE: dict[str, str] = {
    "label": "A display name for this component in the studio and in exported files. It does not change "
    "how the component behaves.",
    "description": "A note about this component for people reading the file. Agents and teams have their "
    "own description field below, which the other agents do see.",
}

BY_PROVIDER: dict[tuple[str, str], str] = {
    ("SelectorGroupChat", "model_client"): "The model that reads the conversation and picks who speaks next.",
    ("MagenticOneGroupChat", "model_client"): "The model of the orchestrator that plans the task, tracks "
    "progress and chooses the next agent.",
    ("CodeExecutorAgent", "model_client"): "Optional. With a model the agent writes code itself; without "
    "one it only runs the code blocks found in other agents' messages.",
    ("CodeExecutorAgent", "sources"): "Only run code blocks from these agents (one name per line). Empty: "
    "run code from any agent.",
    ("CodeExecutorAgent", "system_message"): "Instructions for the model, when the agent has one, on how "
    "to write and fix code.",
    ("UserProxyAgent", "description"): "How the other agents, and a selector's model, see the human in "
    "the team.",
    ("UserProxyAgent", "input_func"): "Kept for compatibility with AutoGen files; the studio always asks "
    "the human through its own chat window.",
    ("FunctionTool", "name"): "The tool's name as the model sees it; use a short identifier such as "
    "get_weather.",
    ("FunctionTool", "description"): "Tells the model what the tool does and when to call it. A clear "
    "description matters more than anything else for good tool use.",
    ("LocalCommandLineCodeExecutor", "timeout"): "Seconds a code block may run before it is stopped.",
    ("TextMessageTermination", "source"): "Stop when this agent sends a plain text message. Empty: stop on "
    "a text message from any agent.",
    ("HandoffTermination", "target"): "Stop when an agent hands off to this target, usually \"user\", so "
    "a person can answer before the team goes on.",
    ("DiGraphEdge", "target"): "The agent that may speak after this edge's source agent.",
    ("DiGraphEdge", "condition"): "Follow this edge only when the source agent's last message contains "
    "this text, e.g. APPROVE. Empty: always follow it.",
    ("DiGraphEdge", "activation_group"): "Edges into the same agent with the same group are counted "
    "together for its activation. Empty: the target's name.",
    ("DiGraphEdge", "activation_condition"): "With several edges in one group: \"all\" waits until every "
    "source has spoken, \"any\" lets the target speak after the first.",
    ("ReplayChatCompletionClient", "model_info"): "What the replayed model claims it can do; agents use "
    "it to decide whether to offer tools.",
}

BY_TYPE: dict[tuple[str, str], str] = {
    ("team", "name"): "The team's name, used when this team is a participant of another team.",
    ("team", "description"): "What the team does; shown to an outer team that picks speakers.",
    ("team", "model_client"): "The model the team uses to organise the conversation.",
    ("agent", "name"): "A unique name in the team, a Python identifier (letters, digits, underscores). "
    "Handoffs, graph edges and terminations refer to agents by this name.",
    ("agent", "description"): "What this agent is good at. Other agents and a selector's model read it to "
    "decide who should speak next.",
    ("agent", "model_client"): "The model this agent thinks with. Select the model node to edit it.",
    ("model", "model"): "The model name the server expects, such as gpt-4o-mini, or llama3.2 for Ollama.",
    ("model", "timeout"): "Seconds to wait for the model's reply before the request fails.",
    ("model", "model_info"): "What the model can do. Needed for models the client does not know (any "
    "OpenAI-compatible server); leave the family empty to rely on the client's built-in list.",
    ("tool", "name"): "The tool's name as the model sees it.",
    ("workbench", "tools"): "The tools this workbench offers to its agent.",
}

BY_FIELD: dict[str, str] = {
    # teams
    "participants": "The agents (or nested teams) in this team, in speaking order for round robin. "
    "Select one to edit it; drag agents from the library to add more.",
    "termination_condition": "When the team stops, for example when someone says TERMINATE or after a "
    "number of messages. Without one the team runs until max turns.",
    "max_turns": "Stop after this many agent turns. Empty: no limit (the termination condition decides).",
    "emit_team_events": "Also send the team's internal events (such as speaker selection) to the trace.",
    "selector_prompt": "The prompt that asks the model to choose the next speaker. It can use {roles}, "
    "{participants} and {history}.",
    "allow_repeated_speaker": "Let the same agent be picked twice in a row.",
    "max_selector_attempts": "How many times to ask the model again when its answer names no valid "
    "speaker, before falling back to the previous speaker.",
    "model_client_streaming": "Stream the selector model's reply token by token.",
    "graph": "The graph of a GraphFlow team: its nodes and conditional edges. Edit edges and the start "
    "node on the canvas; this is the raw form.",
    "max_stalls": "How many rounds without progress the orchestrator tolerates before re-planning.",
    "final_answer_prompt": "The prompt the orchestrator uses to write the final answer once the task is "
    "done.",
    # agents
    "system_message": "The agent's standing instructions: its role, tone and rules. Sent to the model "
    "before every turn.",
    "workbench": "The tool sets this agent can use. Drag tools onto the agent to add them.",
    "tools": "Tools the agent can call. Drag tools onto the agent to add them.",
    "handoffs": "Agents this agent may pass the conversation to (Swarm teams). Each handoff becomes a "
    "tool the model can call; leave the target empty to remove one.",
    "model_context": "How much of the conversation the agent sends to its model, e.g. only the last N "
    "messages. Empty: everything.",
    "memory": "Memory stores the agent consults before answering (not supported by the studio yet).",
    "model_client_stream": "Stream the model's reply token by token into the trace.",
    "reflect_on_tool_use": "After calling tools, ask the model once more to turn the results into an "
    "answer. Off: the tool results themselves are the reply.",
    "tool_call_summary_format": "How tool results are written as the reply when the agent does not "
    "reflect on them; {tool_name}, {arguments} and {result} are filled in.",
    "max_tool_iterations": "How many rounds of tool calls the agent may make in one turn before it must "
    "answer.",
    "metadata": "Free-form string key/value pairs kept with the agent, as a JSON object.",
    "structured_message_factory": "Makes the agent reply with structured (JSON schema) messages; edit as "
    "JSON.",
    "code_executor": "Where the agent runs code. Select it to set the timeout and working directory.",
    "supported_languages": "Code block languages the agent will run, one per line (e.g. python, bash).",
    # models
    "api_key": "The key for the model's API. Stored but never shown again; leave empty to keep the "
    "current key. OpenAI-compatible local servers usually accept any value.",
    "base_url": "The address of an OpenAI-compatible server, e.g. http://localhost:11434/v1 for Ollama. "
    "Empty: OpenAI itself.",
    "organization": "Your OpenAI organization ID, if your account belongs to several.",
    "azure_endpoint": "Your Azure OpenAI resource address, e.g. https://NAME.openai.azure.com/.",
    "azure_deployment": "The name of the model deployment in your Azure resource.",
    "api_version": "The Azure OpenAI API version, e.g. 2024-06-01.",
    "azure_ad_token": "An Azure AD (Entra ID) token used instead of an API key. Never shown again; leave "
    "empty to keep it.",
    "azure_ad_token_provider": "A component that fetches Azure AD tokens (not supported by the studio).",
    "temperature": "Randomness of the replies, from 0 (focused, repeatable) to 2 (varied). Empty: the "
    "server's default.",
    "max_tokens": "The longest reply the model may write, in tokens. Empty: the server's default.",
    "max_retries": "How many times to retry a failed request before giving up.",
    "frequency_penalty": "From -2 to 2: positive values make the model repeat itself less.",
    "presence_penalty": "From -2 to 2: positive values push the model towards new topics.",
    "logit_bias": "Raise or lower the odds of given token IDs, as a JSON object {token_id: bias}.",
    "n": "How many alternative replies to ask for; agents use the first.",
    "response_format": "Ask for JSON output, as a JSON object such as {\"type\": \"json_object\"}.",
    "seed": "Ask the server for repeatable sampling with this seed (best effort).",
    "stop": "Text (or a JSON list of texts) at which the model stops writing.",
    "top_p": "Nucleus sampling: only consider the most likely tokens up to this total probability (0-1).",
    "user": "An identifier of your end user, passed to the provider for abuse monitoring.",
    "stream_options": "Streaming options as JSON, e.g. {\"include_usage\": true}.",
    "parallel_tool_calls": "Whether the model may call several tools at once. Default: the server decides.",
    "reasoning_effort": "For reasoning models: how long to think before answering.",
    "model_capabilities": "Deprecated; use model info instead.",
    "model_info": "What the model can do: vision, function calling, JSON output, structured output, and "
    "its family.",
    "add_name_prefixes": "Prefix each message with its sender's name, for models that ignore the name "
    "field.",
    "include_name_in_message": "Send each message's sender name to the model (some servers reject it).",
    "default_headers": "Extra HTTP headers sent with every request, as a JSON object.",
    "chat_completions": "The scripted replies, used in order: each a string, or a result object with "
    "tool calls. Edit as a JSON list.",
    # model info sub-form
    "vision": "The model accepts images.",
    "function_calling": "The model can call tools. Agents with tools need this.",
    "json_output": "The model can be asked to answer in JSON.",
    "structured_output": "The model can answer following a JSON schema.",
    "family": "The model family, e.g. gpt-4o, llama, or unknown. Empty: no model info (the client must "
    "know the model).",
    "multiple_system_messages": "Whether the model accepts more than one system message.",
    # tools
    "source_code": "The Python function the tool runs. Its name, type hints and docstring become the "
    "schema the model sees.",
    "global_imports": "Imports the function needs, as a JSON list: \"math\", or {\"module\": \"typing\", "
    "\"imports\": [\"Any\"]}.",
    "has_cancellation_support": "The function accepts a cancellation_token argument and stops when the "
    "run is cancelled.",
    "tool_overrides": "Rename tools or change their descriptions for this workbench, as a JSON object "
    "{tool: {name, description}}.",
    # contexts and executors
    "initial_messages": "Messages the context starts with, as a JSON list.",
    "buffer_size": "Send only the last this-many messages to the model.",
    "head_size": "Keep this many messages from the start of the conversation.",
    "tail_size": "Keep this many of the latest messages.",
    "work_dir": "The folder code runs in. Empty: a temporary folder.",
    "functions_module": "The module name under which helper functions are importable by the code.",
    "cleanup_temp_files": "Delete the files written for each code block after it runs.",
    # terminations
    "max_messages": "Stop after this many messages in the conversation (the task counts as one).",
    "include_agent_event": "Also count agent events (tool calls, thoughts) as messages.",
    "text": "Stop when a message contains this text, e.g. TERMINATE or APPROVE.",
    "max_total_token": "Stop once prompt and completion tokens together reach this number. Empty: no "
    "limit.",
    "max_prompt_token": "Stop once prompt tokens reach this number. Empty: no limit.",
    "max_completion_token": "Stop once completion tokens reach this number. Empty: no limit.",
    "timeout_seconds": "Stop when the run has lasted this many seconds.",
    "sources": "Stop as soon as any of these agents has spoken, one name per line.",
    "function_name": "Stop when a tool with this name has been executed.",
    "conditions": "The conditions combined: OR stops when any of them is met, AND when all are.",
    # handoff rows
    "target": "The agent (or \"user\") the conversation is passed to.",
    "name": "The name of the component.",
    "message": "The message recorded when the handoff happens.",
}


def help_for(provider_name: str, component_type: str | None, field: str) -> str | None:
    """The specific help text of a config field, or None when there is none."""
    return (BY_PROVIDER.get((provider_name, field)) or BY_TYPE.get((component_type or "", field))
            or BY_FIELD.get(field))


HANDOFF_HELP: dict[str, str] = {
    "target": "The agent (or \"user\") this agent hands the conversation to. Empty: remove the handoff.",
    "name": "The name of the handoff tool the model calls. Empty: transfer_to_<target>.",
    "description": "Tells the model when to hand off. Empty: \"Handoff to <target>.\"",
    "message": "The message recorded when the handoff happens. Empty: a standard message.",
}
