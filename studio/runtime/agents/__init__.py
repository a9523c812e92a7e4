"""Agents: the participants of a team."""

from .assistant import AssistantAgent
from .base import BaseChatAgent
from .code_executor import CodeExecutorAgent
from .handoff import Handoff
from .user_proxy import InputFunc, UserProxyAgent, stdin_input

__all__ = [
    "AssistantAgent",
    "BaseChatAgent",
    "CodeExecutorAgent",
    "Handoff",
    "InputFunc",
    "UserProxyAgent",
    "stdin_input",
]
