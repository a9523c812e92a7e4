"""Calling an agent's model: streaming chunks as events, and dropping images for models without vision."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TypedDict

from ..cancellation import CancellationToken
from ..messages import (
    BaseAgentEvent,
    BaseChatMessage,
    ModelClientStreamingChunkEvent,
    Response,
    TextMessage,
    ThoughtEvent,
)
from ..model_context import ChatCompletionContext
from ..models.base import ChatCompletionClient
from ..models.types import (
    AssistantMessage,
    CreateResult,
    LLMMessage,
    SystemMessage,
    ToolSchema,
    UserMessage,
)


class _CreateArgs(TypedDict, total=False):
    """The keyword arguments of a model call; left out, a client's default applies."""

    cancellation_token: CancellationToken
    tools: Sequence[ToolSchema]
    tool_choice: str


async def call_model(
    client: ChatCompletionClient,
    messages: Sequence[LLMMessage],
    *,
    stream: bool,
    agent_name: str,
    cancellation_token: CancellationToken,
    tools: Sequence[ToolSchema] = (),
    tool_choice: str = "auto",
    message_id: str | None = None,
    may_have_images: bool = True,
) -> AsyncIterator[ModelClientStreamingChunkEvent | CreateResult]:
    """Yield streamed chunks as events (when streaming), then the model's CreateResult.

    `may_have_images=False` (the context holds no multimodal message) skips a scan of the whole prompt.
    """
    if may_have_images:
        messages = compatible_messages(client, messages)
    kwargs: _CreateArgs = {"cancellation_token": cancellation_token}
    if tools:
        kwargs["tools"] = tools
    if tool_choice != "auto":
        kwargs["tool_choice"] = tool_choice
    if not stream:
        yield await client.create(messages, **kwargs)
        return
    result: CreateResult | None = None
    async for chunk in client.create_stream(messages, **kwargs):
        if isinstance(chunk, CreateResult):
            result = chunk
        else:
            yield ModelClientStreamingChunkEvent(content=chunk, source=agent_name, full_message_id=message_id)
    if result is None:
        raise RuntimeError("No final model result in streaming mode.")
    yield result


def compatible_messages(client: ChatCompletionClient, messages: Sequence[LLMMessage]) -> Sequence[LLMMessage]:
    """Replace images with a placeholder for models that cannot see, as AutoGen does."""
    if client.model_info.get("vision"):
        return messages
    out: list[LLMMessage] = []
    for message in messages:
        if isinstance(message, UserMessage) and isinstance(message.content, list):
            text = "\n".join(part if isinstance(part, str) else "<image>" for part in message.content)
            out.append(UserMessage(content=text, source=message.source))
        else:
            out.append(message)
    return out


async def reflect(
    client: ChatCompletionClient,
    system_messages: Sequence[SystemMessage],
    context: ChatCompletionContext,
    *,
    stream: bool,
    agent_name: str,
    cancellation_token: CancellationToken,
    inner: list[BaseAgentEvent | BaseChatMessage],
    message_id: str | None = None,
    tool_choice: str = "auto",
) -> AsyncIterator[ModelClientStreamingChunkEvent | ThoughtEvent | Response]:
    """One more model call, after tools or code ran, whose text becomes the agent's reply."""
    prompt = [*system_messages, *await context.get_messages()]
    result: CreateResult | None = None
    async for output in call_model(
        client, prompt, stream=stream, agent_name=agent_name, cancellation_token=cancellation_token,
        tool_choice=tool_choice, message_id=message_id, may_have_images=context.has_images,
    ):
        if isinstance(output, CreateResult):
            result = output
        else:
            yield output
    if result is None or not isinstance(result.content, str):
        raise RuntimeError("Reflect on tool use produced no valid text response.")
    if result.thought:
        thought = ThoughtEvent(content=result.thought, source=agent_name)
        inner.append(thought)
        yield thought
    await context.add_message(AssistantMessage(content=result.content, source=agent_name, thought=result.thought))
    reply = TextMessage(content=result.content, source=agent_name, models_usage=result.usage)
    if message_id is not None:
        reply.id = message_id
    yield Response(chat_message=reply, inner_messages=inner)
