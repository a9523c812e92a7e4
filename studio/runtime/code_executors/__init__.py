"""Code executors: run code blocks written by agents (AutoGen's code executor components)."""

from .local import CodeBlock, CodeResult, LocalCommandLineCodeExecutor, extract_markdown_code_blocks

__all__ = ["CodeBlock", "CodeResult", "LocalCommandLineCodeExecutor", "extract_markdown_code_blocks"]
