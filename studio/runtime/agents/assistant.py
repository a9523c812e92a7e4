"""AssistantAgent: a model with a system message, tools and handoffs.

One turn: add the new messages to the model context, call the model, and then either answer in text,
hand off, or run the requested tools (in parallel) and summarise them as a `ToolCallSummaryMessage`,
or reflect on them with one more model call. With `max_tool_iterations` > 1 the model may call tools
again after seeing their results. The order of events is AutoGen 0.7.5's.
"""

from __future__ import annotations

import asyncio
import functools
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from pydantic import Field

from ..cancellation import CancellationToken
from ..config import Built, Component, ConfigModel, Dump, filled, plain, slot
from ..messages import (
    BaseAgentEvent,
    BaseChatMessage,
    HandoffMessage,
    Response,
    TextMessage,
    ThoughtEvent,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
    ToolCallSummaryMessage,
)
from ..model_context import ChatCompletionContext, UnboundedChatCompletionContext, context_slot
from ..models.base import ChatCompletionClient
from ..models.types import (
    AssistantMessage,
    CreateResult,
    FunctionCall,
    FunctionExecutionResult,
    FunctionExecutionResultMessage,
    LLMMessage,
    SystemMessage,
    ToolSchema,
)
from ..tools.base import Tool, ToolResult
from ..tools.workbench import StaticStreamWorkbench, StaticWorkbench, Workbench
from ._model_calls import call_model, reflect
from .base import DESCRIPTION_HELP, NAME_HELP, STREAM_HELP, BaseChatAgent
from .handoff import Handoff, HandoffTool

DEFAULT_DESCRIPTION = "An agent that provides assistance with ability to use tools."
DEFAULT_SYSTEM_MESSAGE = (
    "You are a helpful AI assistant. Solve tasks using your tools. "
    "Reply with TERMINATE when the task has been completed."
)

CallAndResult = tuple[FunctionCall, FunctionExecutionResult]
STREAM_WORKBENCH = "autogen_core.tools.StaticStreamWorkbench"
_WORKBENCH_HELP = "The tool sets this agent can use. Drag tools onto the agent to add them."


class _AssistantAgentBase(ConfigModel):
    """The fields of both versions. AutoGen requires `description`, `reflect_on_tool_use` and
    `tool_call_summary_format`; the studio fills in the constructor's defaults."""

    name: str = Field(description=NAME_HELP)
    model_client: Component = slot("model", default=..., description="The model this agent thinks with. Select "
                                   "the model node to edit it.")
    tools: list[Component] | None = slot("tool", many=True, description="Tools the agent can call. Drag tools onto "
                                         "the agent to add them.")
    handoffs: list[Handoff] | None = Field(None, description="Agents this agent may pass the conversation to (Swarm "
                                           "teams). Each handoff becomes a tool the model can call; leave the target "
                                           "empty to remove one.")
    model_context: Component | None = context_slot()
    memory: list[Component] | None = Field(None, description="Memory stores the agent consults before answering "
                                           "(not supported by the studio yet).")
    description: str | None = filled(DEFAULT_DESCRIPTION, autogen_required=True, description=DESCRIPTION_HELP)
    system_message: str | None = Field(None, description="The agent's standing instructions: its role, tone and "
                                       "rules. Sent to the model before every turn.")
    model_client_stream: bool = Field(False, description=STREAM_HELP)
    reflect_on_tool_use: bool | None = filled(False, autogen_required=True, description="After calling tools, ask "
                                              "the model once more to turn the results into an answer. Off: the tool "
                                              "results themselves are the reply.")
    tool_call_summary_format: str | None = filled("{result}", autogen_required=True, description="How tool results "
                                                  "are written as the reply when the agent does not reflect on them; "
                                                  "{tool_name}, {arguments} and {result} are filled in.")
    max_tool_iterations: int = Field(1, ge=1, description="How many rounds of tool calls the agent may make in one "
                                     "turn before it must answer.")
    metadata: dict[str, str] | None = filled({}, description="Free-form string key/value pairs kept with the agent, "
                                             "as a JSON object.")
    structured_message_factory: Component | None = Field(None, description="Makes the agent reply with structured "
                                                         "(JSON schema) messages; edit as JSON.")

    def workbenches(self, workbench: Any) -> list[Any] | None:
        """The `workbench` field's value (as data or as built workbenches) as the list version 2 holds."""
        return workbench or None

    def canonical_json(self) -> dict[str, Any] | None:
        """Version 2 with its workbenches, as the agent dumps: loose `tools` (and version 1's single or redundant
        workbench) become the one StaticStreamWorkbench the agent makes; no workbench gets an empty one.
        None when both tools and a workbench are set (an error: the agent refuses it)."""
        data = self.to_json()
        for empty in ("handoffs", "memory"):
            if data.get(empty) == []:
                del data[empty]
        tools = data.pop("tools", None) or []
        benches = self.workbenches(data.pop("workbench", None))
        if benches and tools:
            return None
        data["workbench"] = benches or [{"provider": STREAM_WORKBENCH, "config": {"tools": tools}}]
        return data


class AssistantAgentConfig(_AssistantAgentBase):
    """Version 2 (agentchat 0.6+): a list of workbenches; loose `tools` still accepted."""

    workbench: list[Component] | None = slot("workbench", many=True, description=_WORKBENCH_HELP)


class AssistantAgentConfigV1(_AssistantAgentBase):
    """Version 1 (agentchat 0.5): `tools[]` and at most one `workbench` object.

    AutoGen 0.7.5 itself refuses `component_version: 1` (it has no upgrade path); the studio loads it
    and dumps version 2, in the form AutoGen 0.7.5 dumps an agent built from the same tools."""

    workbench: Component | None = slot("workbench", description=_WORKBENCH_HELP)

    def redundant_workbench(self) -> bool:
        """True when `workbench` only wraps the listed `tools` (or nothing): agentchat 0.5.3-0.5.4 dumped
        both, then could not load them back. Such a workbench is dropped in favour of `tools`."""
        if not self.tools or not isinstance(self.workbench, dict):
            return False
        provider = str(self.workbench.get("provider", ""))
        inner = (self.workbench.get("config") or {}).get("tools") or []
        names = {(t.get("config") or {}).get("name") for t in self.tools if isinstance(t, dict)}
        return provider.endswith(("StaticWorkbench", "StaticStreamWorkbench")) and all(
            isinstance(t, dict) and (t.get("config") or {}).get("name") in names for t in inner)

    def workbenches(self, workbench: Any) -> list[Any] | None:
        """The single workbench as a list, unless it only repeats `tools` (loose tools go to the agent, which
        puts them in one StaticStreamWorkbench, as AutoGen 0.7.5 does)."""
        return [workbench] if workbench is not None and not self.redundant_workbench() else None


class AssistantAgent(BaseChatAgent):
    component_config_schema = AssistantAgentConfig

    def __init__(
        self,
        name: str,
        model_client: ChatCompletionClient,
        *,
        tools: Sequence[Tool] | None = None,
        workbench: Workbench | Sequence[Workbench] | None = None,
        handoffs: Sequence[Handoff | str] | None = None,
        model_context: ChatCompletionContext | None = None,
        description: str = DEFAULT_DESCRIPTION,
        system_message: str | None = DEFAULT_SYSTEM_MESSAGE,
        model_client_stream: bool = False,
        reflect_on_tool_use: bool | None = None,
        tool_call_summary_format: str = "{result}",
        max_tool_iterations: int = 1,
        metadata: dict[str, str] | None = None,
    ) -> None:
        super().__init__(name, description)
        if max_tool_iterations < 1:
            raise ValueError(f"max_tool_iterations must be at least 1, got {max_tool_iterations}")
        if tools and workbench is not None:
            raise ValueError("Tools cannot be used with a workbench.")
        self.model_client = model_client
        if workbench is None:
            self.workbench: list[Workbench] = [StaticStreamWorkbench(list(tools or []))]
        elif isinstance(workbench, Workbench):
            self.workbench = [workbench]
        else:
            self.workbench = list(workbench)
        self.handoffs = [h if isinstance(h, Handoff) else Handoff(target=h) for h in handoffs or []]
        for handoff in self.handoffs:
            if not handoff.name.isidentifier():
                raise ValueError(f"Handoff name must be a valid identifier: {handoff.name}")
        self._handoffs_by_tool = {h.name: h for h in self.handoffs}
        if len(self._handoffs_by_tool) != len(self.handoffs):
            raise ValueError(f"Handoff names must be unique: {[h.name for h in self.handoffs]}")
        self._handoff_tools = [HandoffTool(h) for h in self.handoffs]
        self.model_context = model_context or UnboundedChatCompletionContext()
        self.system_message = system_message
        self._system_messages = [SystemMessage(content=system_message)] if system_message is not None else []
        self.model_client_stream = model_client_stream
        self.reflect_on_tool_use = bool(reflect_on_tool_use)
        self.tool_call_summary_format = tool_call_summary_format
        self.max_tool_iterations = max_tool_iterations
        self.metadata = dict(metadata or {})

    @classmethod
    def _from_config(cls, config: _AssistantAgentBase, built: Built) -> AssistantAgent:
        # `filled` fields: a null took the default when the config was validated.
        assert config.description is not None and config.tool_call_summary_format is not None
        return cls(
            config.name, built["model_client"], tools=built["tools"] or None,
            workbench=config.workbenches(built["workbench"]), handoffs=config.handoffs or None,
            model_context=built["model_context"], description=config.description, system_message=config.system_message,
            model_client_stream=config.model_client_stream, reflect_on_tool_use=config.reflect_on_tool_use,
            tool_call_summary_format=config.tool_call_summary_format, max_tool_iterations=config.max_tool_iterations,
            metadata=config.metadata,
        )

    def _to_config(self, dump: Dump) -> dict[str, Any]:
        """Version 2, like AutoGen: no `tools` (they live in the workbenches), `metadata` always an object."""
        return {
            "name": self.name, "description": self.description, "system_message": self.system_message,
            "model_client_stream": self.model_client_stream, "tool_call_summary_format": self.tool_call_summary_format,
            "max_tool_iterations": self.max_tool_iterations,
            "model_client": dump(self.model_client),
            "workbench": [dump(wb) for wb in self.workbench] or None,
            "handoffs": [plain(h) for h in self.handoffs] or None,
            "model_context": dump(self.model_context),
            "reflect_on_tool_use": self.reflect_on_tool_use,
            "metadata": plain(self.metadata),
        }

    @property
    def tools(self) -> list[Tool]:
        """The tools of its static workbenches (a server's tools are known only by listing them)."""
        return [tool for wb in self.workbench if isinstance(wb, StaticWorkbench) for tool in wb.tools]

    async def on_messages_stream(
        self, messages: Sequence[BaseChatMessage], cancellation_token: CancellationToken
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | Response]:
        for message in messages:
            if isinstance(message, HandoffMessage):
                for llm_message in message.context:
                    await self.model_context.add_message(llm_message)
            await self.model_context.add_message(message.to_model_message())

        inner: list[BaseAgentEvent | BaseChatMessage] = []
        message_id = str(uuid.uuid4())
        result: CreateResult | None = None
        async for output in self._call_model(cancellation_token, message_id):
            if isinstance(output, CreateResult):
                result = output
            else:
                yield output
        assert result is not None
        message_id = await self._record_reply(result, inner, message_id)
        if result.thought:
            yield inner[-1]

        async for output in self._process(result, inner, cancellation_token, message_id):
            yield output

    async def _process(
        self,
        result: CreateResult,
        inner: list[BaseAgentEvent | BaseChatMessage],
        cancellation_token: CancellationToken,
        message_id: str,
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | Response]:
        executed: list[CallAndResult] = []
        for iteration in range(self.max_tool_iterations):
            if isinstance(result.content, str):
                reply = TextMessage(content=result.content, source=self.name, models_usage=result.usage, id=message_id)
                yield Response(chat_message=reply, inner_messages=inner)
                return

            request = ToolCallRequestEvent(content=result.content, source=self.name, models_usage=result.usage)
            inner.append(request)
            yield request
            # The calls run together; the events of stream tools (agents, teams) come out as they happen.
            stream: asyncio.Queue[BaseAgentEvent | BaseChatMessage | None] = asyncio.Queue()
            calls = asyncio.ensure_future(
                asyncio.gather(*(self._execute(call, cancellation_token, stream) for call in result.content)))
            calls.add_done_callback(functools.partial(_end_of_stream, stream))
            try:
                while (event := await stream.get()) is not None:
                    yield event
                    inner.append(event)
                executed = list(await calls)
            finally:
                calls.cancel()
            results = [r for _, r in executed]
            execution = ToolCallExecutionEvent(content=results, source=self.name)
            await self.model_context.add_message(FunctionExecutionResultMessage(content=results))
            inner.append(execution)
            yield execution

            handoff = self._handoff_response(result, executed, inner)
            if handoff is not None:
                yield handoff
                return
            if iteration == self.max_tool_iterations - 1:
                break

            next_result: CreateResult | None = None
            async for output in self._call_model(cancellation_token, message_id):
                if isinstance(output, CreateResult):
                    next_result = output
                else:
                    yield output
            assert next_result is not None
            result = next_result
            had_thought = bool(result.thought)
            message_id = await self._record_reply(result, inner, message_id)
            if had_thought:
                yield inner[-1]

        if self.reflect_on_tool_use:
            async for output in reflect(
                self.model_client, self._system_messages, self.model_context, stream=self.model_client_stream,
                agent_name=self.name, cancellation_token=cancellation_token, inner=inner,
                message_id=str(uuid.uuid4()), tool_choice="none",
            ):
                yield output
        else:
            yield self._summary(executed, inner)

    async def _call_model(
        self, cancellation_token: CancellationToken, message_id: str, *, tool_choice: str = "auto"
    ) -> AsyncIterator[Any]:
        context = await self.model_context.get_messages()
        llm_messages: list[LLMMessage] = [*self._system_messages, *context]
        tools = await self._tools_for_model() if tool_choice != "none" else []
        async for output in call_model(
            self.model_client,
            llm_messages,
            stream=self.model_client_stream,
            agent_name=self.name,
            cancellation_token=cancellation_token,
            tools=tools,
            tool_choice=tool_choice,
            message_id=message_id,
            may_have_images=self.model_context.has_images,
        ):
            yield output

    async def _tools_for_model(self) -> list[ToolSchema]:
        """Listed before each model call, as AutoGen does: an MCP server's tools may change."""
        schemas = [schema for wb in self.workbench for schema in await wb.list_tools()]
        return schemas + [tool.schema for tool in self._handoff_tools]

    async def _record_reply(
        self, result: CreateResult, inner: list[BaseAgentEvent | BaseChatMessage], message_id: str
    ) -> str:
        """Add the model's reply to the context; a thought becomes a ThoughtEvent. Returns the next message id."""
        if result.thought:
            inner.append(ThoughtEvent(content=result.thought, source=self.name, id=message_id))
            message_id = str(uuid.uuid4())
        await self.model_context.add_message(
            AssistantMessage(content=result.content, source=self.name, thought=result.thought)
        )
        return message_id

    async def _execute(
        self, call: FunctionCall, cancellation_token: CancellationToken,
        stream: asyncio.Queue[BaseAgentEvent | BaseChatMessage | None],
    ) -> CallAndResult:
        def result(content: str, is_error: bool) -> CallAndResult:
            return call, FunctionExecutionResult(content=content, call_id=call.id, is_error=is_error, name=call.name)

        try:
            arguments = json.loads(call.arguments)
        except json.JSONDecodeError as e:
            return result(f"Error: {e}", True)
        handoff = self._handoffs_by_tool.get(call.name)
        if handoff is not None:
            return result(handoff.message, False)
        for wb in self.workbench:
            if await wb.has_tool(call.name):
                if not isinstance(wb, StaticStreamWorkbench):
                    tool_result = await wb.call_tool(call.name, arguments, cancellation_token, call_id=call.id)
                    return result(tool_result.content, tool_result.is_error)
                streamed: ToolResult | None = None
                async for item in wb.call_tool_stream(call.name, arguments, cancellation_token, call_id=call.id):
                    if isinstance(item, ToolResult):
                        streamed = item
                    else:
                        stream.put_nowait(item)
                assert streamed is not None, "a streamed tool call ends with its result"
                return result(streamed.content, streamed.is_error)
        return result(f"Error: tool '{call.name}' not found in any workbench", True)

    def _handoff_response(
        self, result: CreateResult, executed: list[CallAndResult], inner: list[BaseAgentEvent | BaseChatMessage]
    ) -> Response | None:
        """If the model called a handoff tool, the turn ends with a HandoffMessage (the first one wins)."""
        requested = [c for c in result.content if isinstance(c, FunctionCall) and c.name in self._handoffs_by_tool]
        if not requested:
            return None
        chosen = self._handoffs_by_tool[requested[0].name]
        message = chosen.message
        other_calls: list[CallAndResult] = []
        for call, call_result in executed:
            if call.name not in self._handoffs_by_tool:
                other_calls.append((call, call_result))
            elif call.name == chosen.name:
                message = call_result.content
        context: list[LLMMessage] = []
        if other_calls:
            context.append(
                AssistantMessage(content=[c for c, _ in other_calls], source=self.name, thought=result.thought)
            )
            context.append(FunctionExecutionResultMessage(content=[r for _, r in other_calls]))
        elif result.thought:
            context.append(AssistantMessage(content=result.thought, source=self.name))
        handoff = HandoffMessage(content=message, target=chosen.target, source=self.name, context=context)
        return Response(chat_message=handoff, inner_messages=inner)

    def _summary(self, executed: list[CallAndResult], inner: list[BaseAgentEvent | BaseChatMessage]) -> Response:
        normal = [(c, r) for c, r in executed if c.name not in self._handoffs_by_tool]
        content = "\n".join(
            self.tool_call_summary_format.format(
                tool_name=c.name, arguments=c.arguments, result=r.content, is_error=r.is_error
            )
            for c, r in normal
        )
        summary = ToolCallSummaryMessage(
            content=content, source=self.name, tool_calls=[c for c, _ in normal], results=[r for _, r in normal]
        )
        return Response(chat_message=summary, inner_messages=inner)

    async def on_reset(self, cancellation_token: CancellationToken | None = None) -> None:
        await self.model_context.clear()

    async def end_run(self) -> None:
        for wb in self.workbench:
            await wb.end_run()

    async def close(self) -> None:
        for wb in self.workbench:
            await wb.close()
        await self.model_client.close()


def _end_of_stream(stream: asyncio.Queue[BaseAgentEvent | BaseChatMessage | None], _: object) -> None:
    """The tool calls are done: no more events will come."""
    stream.put_nowait(None)
