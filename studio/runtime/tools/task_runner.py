"""AgentTool and TeamTool: AutoGen's `autogen_agentchat.tools` tools that run a task on an agent or a team.

The model calls the tool with `task`; the agent or team runs it (`run_stream`, continuing from its earlier
calls, as AutoGen's does) and its messages become the result: the last one's text with
`return_value_as_last_message`, otherwise every chat message but the task's, each as "source: text",
separated by blank lines. Through a StaticStreamWorkbench (an agent's `tools`) the inner run's messages
and events, the task message first, appear in the calling agent's stream as they happen, as in AutoGen.
AutoGen asks for parallel tool calls to be off with these tools: an agent or team runs one task at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, Field

from ..cancellation import CancellationToken
from ..config import Component, ConfigModel, slot
from ..messages import BaseAgentEvent, BaseChatMessage, ErrorEvent, TaskResult
from ..models.types import ToolSchema
from .args_model import args_schema
from .base import StreamTool, ToolResult

if TYPE_CHECKING:
    from ..agents.base import BaseChatAgent
    from ..teams.base import BaseGroupChat

__all__ = ["AgentTool", "AgentToolConfig", "TeamTool", "TeamToolConfig"]

_LAST_HELP = ("Return only the last message of the run as the result. Off: every message (but the task), each "
              "prefixed by who wrote it.")


class TaskRunnerToolArgs(BaseModel):
    """AutoGen's argument model (its name appears in validation errors)."""

    task: Annotated[str, "The task to be executed."]


class TaskRunnerTool(StreamTool):
    """Runs a task on an agent or a team; the result is the run's messages as text."""

    def __init__(self, task_runner: BaseChatAgent | BaseGroupChat, name: str, description: str,
                 return_value_as_last_message: bool) -> None:
        self.task_runner = task_runner
        self.name = name
        self.description = description
        self.return_value_as_last_message = return_value_as_last_message

    @property
    def schema(self) -> ToolSchema:
        return args_schema(TaskRunnerToolArgs, self.name, self.description, strict=True)

    async def run_json_stream(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | ToolResult]:
        """The inner run's messages and events, then the result. A failed run raises (AutoGen's teams raise
        where the studio's report an ErrorEvent): the workbench makes that an error result."""
        task = TaskRunnerToolArgs.model_validate(args).task
        result: TaskResult | None = None
        failure: str | None = None
        async for item in self.task_runner.run_stream(task=task, cancellation_token=cancellation_token):
            if isinstance(item, TaskResult):
                result = item
            elif isinstance(item, ErrorEvent):
                failure = item.content
            else:
                yield item
        if failure is not None:
            raise RuntimeError(failure)
        assert result is not None
        yield ToolResult(name=self.name, content=self.result_text(result))

    def result_text(self, result: TaskResult) -> str:
        """AutoGen's `return_value_as_string` of a task result."""
        if self.return_value_as_last_message:
            if result.messages and isinstance(result.messages[-1], BaseChatMessage):
                return result.messages[-1].to_model_text()
            raise ValueError("The last message is not a BaseChatMessage.")
        return "\n\n".join(f"{m.source}: {m.to_model_text()}" for m in result.messages
                           if isinstance(m, BaseChatMessage) and m.source != "user")

    async def close(self) -> None:
        await self.task_runner.close()


class AgentToolConfig(ConfigModel):
    agent: Component = slot("agent", default=..., description="The agent that runs the task; the tool takes its name "
                            "and description.")
    return_value_as_last_message: bool = Field(False, description=_LAST_HELP)


class AgentTool(TaskRunnerTool):
    """An agent as a tool, named and described as the agent is."""

    component_config_schema = AgentToolConfig

    def __init__(self, agent: BaseChatAgent, return_value_as_last_message: bool = False) -> None:
        self.agent = agent
        super().__init__(agent, agent.name, agent.description, return_value_as_last_message)


class TeamToolConfig(ConfigModel):
    name: str = Field(description="The tool's name as the model sees it, a short identifier.")
    description: str = Field(description="Tells the model what the team does and when to give it a task.")
    team: Component = slot("team", default=..., description="The team that runs the task.")
    return_value_as_last_message: bool = Field(False, description=_LAST_HELP)


class TeamTool(TaskRunnerTool):
    """A team as a tool."""

    component_config_schema = TeamToolConfig

    def __init__(self, team: BaseGroupChat, name: str, description: str,
                 return_value_as_last_message: bool = False) -> None:
        self.team = team
        super().__init__(team, name, description, return_value_as_last_message)
