"""Every provider the studio knows, one line each: AutoGen's provider path, its component type, and the runtime
class that builds it (whose `component_config_schema` is its config model), in palette order.

Imported on first use of the registry (`registry._table`), not with the package.
"""

from __future__ import annotations

from studio.runtime import conditions as c
from studio.runtime import model_context as contexts
from studio.runtime.agents import AssistantAgent, CodeExecutorAgent, UserProxyAgent
from studio.runtime.agents.assistant import AssistantAgentConfigV1
from studio.runtime.code_executors import LocalCommandLineCodeExecutor
from studio.runtime.models import (
    AzureOpenAIChatCompletionClient,
    OpenAIChatCompletionClient,
    ReplayChatCompletionClient,
)
from studio.runtime.teams import GraphFlow, RoundRobinGroupChat, SelectorGroupChat, Swarm
from studio.runtime.teams.magentic_one import MagenticOneGroupChatConfig
from studio.runtime.tools import (
    AgentTool,
    FunctionTool,
    HttpTool,
    PythonCodeExecutionTool,
    StaticStreamWorkbench,
    StaticWorkbench,
    TeamTool,
    mcp,
)

from .registry import ProviderSpec

TEAMS, AGENTS, CONDITIONS = "autogen_agentchat.teams.", "autogen_agentchat.agents.", "autogen_agentchat.conditions."
MODELS, TOOLS, CONTEXTS = "autogen_ext.models.", "autogen_core.tools.", "autogen_core.model_context."
MCP = "autogen_ext.tools.mcp."

SPECS = (
    ProviderSpec(f"{TEAMS}RoundRobinGroupChat", "team", RoundRobinGroupChat),
    ProviderSpec(f"{TEAMS}SelectorGroupChat", "team", SelectorGroupChat),
    ProviderSpec(f"{TEAMS}Swarm", "team", Swarm),
    ProviderSpec(f"{TEAMS}GraphFlow", "team", GraphFlow),
    ProviderSpec(f"{TEAMS}MagenticOneGroupChat", "team", config=MagenticOneGroupChatConfig,
                 unsupported="is not supported by the studio runtime yet"),
    ProviderSpec(f"{AGENTS}AssistantAgent", "agent", AssistantAgent, version=2, past_configs={1: AssistantAgentConfigV1}),
    ProviderSpec(f"{AGENTS}UserProxyAgent", "agent", UserProxyAgent),
    ProviderSpec(f"{AGENTS}CodeExecutorAgent", "agent", CodeExecutorAgent),
    ProviderSpec(f"{MODELS}openai.OpenAIChatCompletionClient", "model", OpenAIChatCompletionClient),
    ProviderSpec(f"{MODELS}openai.AzureOpenAIChatCompletionClient", "model", AzureOpenAIChatCompletionClient),
    ProviderSpec(f"{MODELS}replay.ReplayChatCompletionClient", "model", ReplayChatCompletionClient,
                 type_aliases=("replay_chat_completion_client",)),
    ProviderSpec(f"{TOOLS}FunctionTool", "tool", FunctionTool),
    ProviderSpec(f"{MCP}StdioMcpToolAdapter", "tool", mcp.StdioMcpToolAdapter),
    ProviderSpec(f"{MCP}SseMcpToolAdapter", "tool", mcp.SseMcpToolAdapter),
    ProviderSpec(f"{MCP}StreamableHttpMcpToolAdapter", "tool", mcp.StreamableHttpMcpToolAdapter),
    ProviderSpec("autogen_ext.tools.http.HttpTool", "tool", HttpTool),
    ProviderSpec("autogen_ext.tools.code_execution.PythonCodeExecutionTool", "tool", PythonCodeExecutionTool),
    ProviderSpec("autogen_agentchat.tools.AgentTool", "tool", AgentTool),
    ProviderSpec("autogen_agentchat.tools.TeamTool", "tool", TeamTool),
    ProviderSpec(f"{TOOLS}StaticWorkbench", "workbench", StaticWorkbench),
    ProviderSpec(f"{TOOLS}StaticStreamWorkbench", "workbench", StaticStreamWorkbench),
    ProviderSpec(f"{MCP}McpWorkbench", "workbench", mcp.McpWorkbench),
    ProviderSpec(f"{CONTEXTS}UnboundedChatCompletionContext", "chat_completion_context",
                 contexts.UnboundedChatCompletionContext),
    ProviderSpec(f"{CONTEXTS}BufferedChatCompletionContext", "chat_completion_context",
                 contexts.BufferedChatCompletionContext),
    ProviderSpec(f"{CONTEXTS}HeadAndTailChatCompletionContext", "chat_completion_context",
                 contexts.HeadAndTailChatCompletionContext),
    ProviderSpec("autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", "code_executor",
                 LocalCommandLineCodeExecutor),
    ProviderSpec(f"{CONDITIONS}MaxMessageTermination", "termination", c.MaxMessageTermination),
    ProviderSpec(f"{CONDITIONS}TextMentionTermination", "termination", c.TextMentionTermination),
    ProviderSpec(f"{CONDITIONS}StopMessageTermination", "termination", c.StopMessageTermination),
    ProviderSpec(f"{CONDITIONS}TokenUsageTermination", "termination", c.TokenUsageTermination),
    ProviderSpec(f"{CONDITIONS}HandoffTermination", "termination", c.HandoffTermination),
    ProviderSpec(f"{CONDITIONS}TimeoutTermination", "termination", c.TimeoutTermination),
    ProviderSpec(f"{CONDITIONS}ExternalTermination", "termination", c.ExternalTermination),
    ProviderSpec(f"{CONDITIONS}SourceMatchTermination", "termination", c.SourceMatchTermination),
    ProviderSpec(f"{CONDITIONS}TextMessageTermination", "termination", c.TextMessageTermination),
    ProviderSpec(f"{CONDITIONS}FunctionCallTermination", "termination", c.FunctionCallTermination),
    ProviderSpec("autogen_agentchat.base.OrTerminationCondition", "termination", c.OrTerminationCondition),
    ProviderSpec("autogen_agentchat.base.AndTerminationCondition", "termination", c.AndTerminationCondition),
)
"""In palette order: teams, agents, models, tools, contexts, conditions."""
