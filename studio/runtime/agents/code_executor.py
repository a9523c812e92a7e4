"""CodeExecutorAgent: runs the code blocks it is given (or that its model writes) in a code executor.

Without a model it executes the ```python / ```sh blocks of the messages it receives and answers with their
output. With a model it writes code itself, runs it, and answers with a reflection on the result.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

from pydantic import Field, model_validator

from ..cancellation import CancellationToken
from ..config import Component, ConfigModel, slot
from ..messages import (
    BaseAgentEvent,
    BaseChatMessage,
    CodeExecutionEvent,
    CodeExecutionResult,
    CodeGenerationEvent,
    HandoffMessage,
    Response,
    TextMessage,
    ThoughtEvent,
)
from ..model_context import ChatCompletionContext, UnboundedChatCompletionContext, context_slot
from ..models.base import ChatCompletionClient
from ..models.types import AssistantMessage, CreateResult, SystemMessage, UserMessage
from ._model_calls import call_model, reflect
from .base import DESCRIPTION_HELP, NAME_HELP, STREAM_HELP, BaseChatAgent

DEFAULT_TERMINAL_DESCRIPTION = (
    "A computer terminal that performs no other action than running Python scripts (provided to it quoted in "
    "```python code blocks), or sh shell scripts (provided to it quoted in ```sh code blocks)."
)
DEFAULT_AGENT_DESCRIPTION = (
    "A Code Execution Agent that generates and executes Python and shell scripts based on user instructions. "
    "It ensures correctness, efficiency, and minimal errors while gracefully handling edge cases."
)
DEFAULT_SYSTEM_MESSAGE = (
    "You are a Code Execution Agent. Your role is to generate and execute Python code and shell scripts based on "
    "user instructions, ensuring correctness, efficiency, and minimal errors. Handle edge cases gracefully. Python "
    "code should be provided in ```python code blocks, and sh shell scripts should be provided in ```sh code "
    "blocks for execution."
)
NO_CODE_BLOCKS_FOUND_MESSAGE = (
    "No code blocks found in the thread. Please provide at least one markdown-encoded code block to execute "
    "(i.e., quoting code in ```python or ```sh code blocks)."
)
DEFAULT_SUPPORTED_LANGUAGES = ["python", "sh"]


class CodeExecutorAgentConfig(ConfigModel):
    """Without a `description`, the agent's depends on whether it has a model."""

    name: str = Field(description=NAME_HELP)
    code_executor: Component = slot("code_executor", default=..., description="Where the agent runs code. Select "
                                    "it to set the timeout and working directory.")
    model_client: Component | None = slot("model", description="Optional. With a model the agent writes code "
                                          "itself; without one it only runs the code blocks found in other agents' "
                                          "messages.")
    description: str | None = Field(None, description=DESCRIPTION_HELP)
    sources: list[str] | None = Field(None, description="Only run code blocks from these agents (one name per "
                                      "line). Empty: run code from any agent.")
    system_message: str | None = Field(None, description="Instructions for the model, when the agent has one, on "
                                       "how to write and fix code.")
    model_client_stream: bool = Field(False, description=STREAM_HELP)
    model_context: Component | None = context_slot()
    supported_languages: list[str] | None = Field(None, description="Code block languages the agent will run, one "
                                                  "per line (e.g. python, bash).")

    @model_validator(mode="after")
    def _default_description(self) -> CodeExecutorAgentConfig:
        if self.description is None:
            self.description = DEFAULT_TERMINAL_DESCRIPTION if self.model_client is None else DEFAULT_AGENT_DESCRIPTION
        return self


class CodeExecutorAgent(BaseChatAgent):
    component_config_schema = CodeExecutorAgentConfig
    def __init__(
        self,
        name: str,
        code_executor: Any,
        *,
        model_client: ChatCompletionClient | None = None,
        model_context: ChatCompletionContext | None = None,
        description: str | None = None,
        system_message: str | None = DEFAULT_SYSTEM_MESSAGE,
        model_client_stream: bool = False,
        sources: Sequence[str] | None = None,
        supported_languages: Sequence[str] | None = None,
    ) -> None:
        if description is None:
            description = DEFAULT_TERMINAL_DESCRIPTION if model_client is None else DEFAULT_AGENT_DESCRIPTION
        super().__init__(name, description)
        self.code_executor = code_executor
        self.model_client = model_client
        self.model_context = model_context or UnboundedChatCompletionContext()
        self.system_message = system_message
        self._system_messages = [SystemMessage(content=system_message)] if system_message is not None else []
        self.model_client_stream = model_client_stream
        self.sources = list(sources) if sources is not None else None
        self.supported_languages = list(supported_languages) if supported_languages is not None else None
        languages = "|".join(re.escape(lang) for lang in self.supported_languages or DEFAULT_SUPPORTED_LANGUAGES)
        self._block_pattern = re.compile(rf"```(?:\s*({languages}))\n([\s\S]*?)```", re.IGNORECASE)

    def extract_code_blocks(self, text: str) -> list[Any]:
        from ..code_executors import CodeBlock

        return [CodeBlock(code=code, language=lang.strip()) for lang, code in self._block_pattern.findall(text)]

    async def on_messages_stream(
        self, messages: Sequence[BaseChatMessage], cancellation_token: CancellationToken
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | Response]:
        if self.model_client is None:
            blocks = [
                block
                for m in messages
                if isinstance(m, TextMessage) and (self.sources is None or m.source in self.sources)
                for block in self.extract_code_blocks(m.content)
            ]
            if not blocks:
                yield Response(chat_message=TextMessage(content=NO_CODE_BLOCKS_FOUND_MESSAGE, source=self.name))
                return
            result = await self._execute(blocks, cancellation_token)
            yield Response(chat_message=TextMessage(content=result.output, source=self.name))
            return

        for message in messages:
            if isinstance(message, HandoffMessage):
                for llm_message in message.context:
                    await self.model_context.add_message(llm_message)
            await self.model_context.add_message(message.to_model_message())
        inner: list[BaseAgentEvent | BaseChatMessage] = []
        generated: CreateResult | None = None
        async for output in self._call_model(cancellation_token):
            if isinstance(output, CreateResult):
                generated = output
            else:
                yield output
        assert generated is not None
        if generated.thought:
            thought = ThoughtEvent(content=generated.thought, source=self.name)
            inner.append(thought)
            yield thought
        await self.model_context.add_message(
            AssistantMessage(content=generated.content, source=self.name, thought=generated.thought)
        )
        if not isinstance(generated.content, str):
            raise RuntimeError("The code executor agent's model must answer in text, not tool calls.")
        blocks = self.extract_code_blocks(generated.content)
        if not blocks:
            yield Response(chat_message=TextMessage(content=generated.content, source=self.name))
            return
        yield CodeGenerationEvent(
            content=generated.content,
            code_blocks=[{"code": b.code, "language": b.language} for b in blocks],
            source=self.name,
        )
        result = await self._execute(blocks, cancellation_token)
        await self.model_context.add_message(UserMessage(content=result.output, source=self.name))
        yield CodeExecutionEvent(result=result, source=self.name)

        async for output in reflect(
            self.model_client, self._system_messages, self.model_context, stream=self.model_client_stream,
            agent_name=self.name, cancellation_token=cancellation_token, inner=inner,
        ):
            yield output

    async def _call_model(self, cancellation_token: CancellationToken) -> AsyncIterator[Any]:
        assert self.model_client is not None
        context = await self.model_context.get_messages()
        async for output in call_model(
            self.model_client,
            [*self._system_messages, *context],
            stream=self.model_client_stream,
            agent_name=self.name,
            cancellation_token=cancellation_token,
            may_have_images=self.model_context.has_images,
        ):
            yield output

    async def _execute(self, blocks: list[Any], cancellation_token: CancellationToken) -> CodeExecutionResult:
        """Run the blocks; the output text explains an empty output or a failure the way AutoGen does."""
        raw = await self.code_executor.execute_code_blocks(blocks, cancellation_token=cancellation_token)
        output = raw.output
        if output.strip() == "":
            output = (
                f"The script ran but produced no output to console. The POSIX exit code was: {raw.exit_code}. "
                "If you were expecting output, consider revising the script to ensure content is printed to stdout."
            )
        elif raw.exit_code != 0:
            output = (
                f"The script ran, then exited with an error (POSIX exit code: {raw.exit_code})\n"
                f"Its output was:\n{output}"
            )
        return CodeExecutionResult(exit_code=raw.exit_code, output=output, code_file=getattr(raw, "code_file", None))

    async def on_reset(self, cancellation_token: CancellationToken | None = None) -> None:
        await self.model_context.clear()

    async def close(self) -> None:
        if self.model_client is not None:
            await self.model_client.close()
