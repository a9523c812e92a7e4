"""Calling an agent's model: streaming chunks as events, and dropping images for models without vision."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from ..cancellation import CancellationToken
from ..messages import ModelClientStreamingChunkEvent
from ..models.base import ChatCompletionClient
from ..models.types import CreateResult, LLMMessage, ToolSchema, UserMessage


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
    kwargs = {"cancellation_token": cancellation_token}
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
