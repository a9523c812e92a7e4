"""Config schemas of model contexts and code executors (AutoGen 0.7.5 `autogen_core.model_context`,
`autogen_ext.code_executors.local`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .common import ConfigModel, FunctionCallConfig, tagged, text_or


class SystemMessageConfig(ConfigModel):
    content: str
    type: Literal["SystemMessage"] = "SystemMessage"


class UserMessageConfig(ConfigModel):
    content: text_or(list[Any])
    source: str
    type: Literal["UserMessage"] = "UserMessage"


class AssistantMessageConfig(ConfigModel):
    content: text_or(list[FunctionCallConfig])
    thought: str | None = None
    source: str
    type: Literal["AssistantMessage"] = "AssistantMessage"


class FunctionExecutionResultConfig(ConfigModel):
    content: str
    name: str
    call_id: str
    is_error: bool | None = None


class FunctionExecutionResultMessageConfig(ConfigModel):
    content: list[FunctionExecutionResultConfig]
    type: Literal["FunctionExecutionResultMessage"] = "FunctionExecutionResultMessage"


def _message_type(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) else "missing"


LLMMessageConfig = tagged(
    _message_type,
    SystemMessage=SystemMessageConfig,
    UserMessage=UserMessageConfig,
    AssistantMessage=AssistantMessageConfig,
    FunctionExecutionResultMessage=FunctionExecutionResultMessageConfig,
)


class UnboundedContextConfig(ConfigModel):
    initial_messages: list[LLMMessageConfig] | None = None


class BufferedContextConfig(ConfigModel):
    buffer_size: int = Field(ge=1)
    initial_messages: list[LLMMessageConfig] | None = None


class HeadAndTailContextConfig(ConfigModel):
    head_size: int = Field(ge=0)
    tail_size: int = Field(ge=0)
    initial_messages: list[LLMMessageConfig] | None = None


class LocalCommandLineCodeExecutorConfig(ConfigModel):
    timeout: int = Field(60, ge=1)
    work_dir: str | None = None
    functions_module: str = "functions"
    cleanup_temp_files: bool = True
