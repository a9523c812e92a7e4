"""Model contexts (what an agent remembers of the conversation) and the local code executor."""

from __future__ import annotations

from typing import Any

from ..registry import ProviderSpec
from ..schemas import contexts as s
from ..schemas.common import ConfigModel
from .base import attrs, build, runtime_class

_CONTEXTS = "studio.runtime.model_context"


def _messages(cfg: Any) -> list[Any] | None:
    """Initial messages as the runtime's LLM message models."""
    if cfg.initial_messages is None:
        return None
    return [runtime_class(f"studio.runtime.models.types.{m.type}").model_validate(m.model_dump())
            for m in cfg.initial_messages]


def _context(name: str, config: type[ConfigModel]) -> ProviderSpec:
    path = f"{_CONTEXTS}.{name}"
    fields = tuple(f for f in config.model_fields if f != "initial_messages")

    def factory(cfg: Any, built: dict[str, Any]) -> Any:
        return build(path, **{f: getattr(cfg, f) for f in fields}, initial_messages=_messages(cfg))

    def dumper(obj: Any, dump: Any) -> dict[str, Any]:
        return attrs(obj, *fields, "initial_messages")

    return ProviderSpec(f"autogen_core.model_context.{name}", "chat_completion_context", config, factory, dumper, path)


def _local_executor(cfg: s.LocalCommandLineCodeExecutorConfig, built: dict[str, Any]) -> Any:
    return build("studio.runtime.code_executors.LocalCommandLineCodeExecutor", **cfg.model_dump())


def _dump_local_executor(obj: Any, dump: Any) -> dict[str, Any]:
    return attrs(obj, "timeout", "work_dir", "functions_module", "cleanup_temp_files")


SPECS = [
    _context("UnboundedChatCompletionContext", s.UnboundedContextConfig),
    _context("BufferedChatCompletionContext", s.BufferedContextConfig),
    _context("HeadAndTailChatCompletionContext", s.HeadAndTailContextConfig),
    ProviderSpec("autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", "code_executor",
                 s.LocalCommandLineCodeExecutorConfig, _local_executor, _dump_local_executor,
                 "studio.runtime.code_executors.LocalCommandLineCodeExecutor"),
]
