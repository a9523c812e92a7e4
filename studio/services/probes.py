"""Test buttons of the Builder: try one model, tool or agent of a draft on its own, with a time limit.

Each probe injects the stored credentials (`inject_credentials`), loads the component with our
runtime and runs it once: a model answers a one-line prompt, a tool runs in the sandbox, an agent
takes one turn, an MCP workbench connects to its server and lists what it offers (or calls one tool). Failures come back as text in the result, never as exceptions, and every text a
probe returns has the keys it could have seen masked, since model errors may echo them.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from studio.components import (
    SECRET_FIELDS,
    ComponentValidationError,
    UnsupportedComponentError,
    load_component,
)
from studio.runtime.cancellation import CancellationToken
from studio.runtime.models import ModelClientError
from studio.runtime.models.types import UserMessage
from studio.runtime.tools import FunctionTool, ToolResult, get_sandbox_limits
from studio.runtime.tools.mcp import McpWorkbench
from studio.runtime.tools.mcp.workbench import tool_schema

from .credentials import Credentials, inject_credentials, masked
from .tool_arguments import ArgumentField, argument_fields

PROBE_TIMEOUT_SECONDS = 60.0
"""How long one probe may take before the page gives up on it."""

T = TypeVar("T")


@dataclass(frozen=True)
class ModelProbe:
    """A model's reply to one prompt and how long it took, or the error it gave."""

    reply: str | None = None
    latency_ms: float | None = None
    usage: dict[str, int] | None = None
    error: str | None = None


@dataclass(frozen=True)
class ToolProbe:
    """What one tool call returned (its error text when `is_error`)."""

    result: str
    is_error: bool
    duration_ms: float


@dataclass(frozen=True)
class AgentProbe:
    """The messages and events of one turn of an agent alone (as dumps), or why it could not run."""

    messages: list[dict[str, Any]]
    error: str | None = None


@dataclass(frozen=True)
class McpTool:
    """One tool of an MCP server as the agent sees it (`name`, overrides applied; `server_name` the server's)."""

    name: str
    server_name: str
    description: str
    input_schema: dict[str, Any]

    @property
    def schema_text(self) -> str:
        return json.dumps(self.input_schema, indent=2, ensure_ascii=False)

    @property
    def arguments(self) -> list[ArgumentField] | None:
        """The inputs of its Run form, from its input schema (None: a schema the form cannot show)."""
        properties = self.input_schema.get("properties")
        if properties is not None and not (isinstance(properties, dict)
                                           and all(isinstance(p, dict) for p in properties.values())):
            return None
        return argument_fields(self.input_schema)


@dataclass(frozen=True)
class McpListing:
    """What an MCP server offers (`server` names it as it introduced itself), or why it could not be listed.
    Resources and prompts are lists of the server's dumps; each `*_error` says why that list is missing."""

    server: str = ""
    tools: tuple[McpTool, ...] = ()
    resources: tuple[dict[str, Any], ...] = ()
    prompts: tuple[dict[str, Any], ...] = ()
    resources_error: str | None = None
    prompts_error: str | None = None
    error: str | None = None


class _ProbeFailed(Exception):
    """The component could not be loaded or run: the message is for the user."""


async def probe_model(component: dict[str, Any], prompt: str, *, credentials: Credentials | None = None,
                      timeout: float = PROBE_TIMEOUT_SECONDS) -> ModelProbe:
    """Send `prompt` as one user message to the model client `component`."""
    secrets = _secrets(component, credentials)
    try:
        client = _load(component, "model", credentials)
    except _ProbeFailed as exc:
        return ModelProbe(error=_redact(str(exc), secrets))
    started = time.perf_counter()
    try:
        result = await _limited(client.create([UserMessage(content=prompt, source="user")]), timeout)
    except _ProbeFailed as exc:
        return ModelProbe(error=_redact(str(exc), secrets))
    finally:
        await client.close()
    latency = (time.perf_counter() - started) * 1000
    content = result.content
    reply = content if isinstance(content, str) else json.dumps([c.model_dump(mode="json") for c in content])
    return ModelProbe(reply=_redact(reply, secrets), latency_ms=latency, usage=result.usage.model_dump())


async def probe_tool(component: dict[str, Any], arguments: Mapping[str, Any], *,
                     credentials: Credentials | None = None, timeout: float = PROBE_TIMEOUT_SECONDS) -> ToolProbe:
    """Call the tool `component` once with `arguments` (and the variables it declares); function tools run
    in the sandbox."""
    started = time.perf_counter()
    try:
        tool = _load(component, "tool", credentials)
    except _ProbeFailed as exc:
        return ToolProbe(str(exc), True, 0.0)
    if isinstance(tool, FunctionTool):  # the sandbox kills the worker at the deadline
        tool.limits = replace(tool.limits or get_sandbox_limits(), timeout=timeout, cpu_seconds=None)
    content, is_error = await _tool_result(tool.run_json(dict(arguments), CancellationToken()), timeout + 5,
                                           tool.close)
    return ToolProbe(content, is_error, (time.perf_counter() - started) * 1000)


async def probe_agent(component: dict[str, Any], task: str, *, credentials: Credentials | None = None,
                      timeout: float = PROBE_TIMEOUT_SECONDS) -> AgentProbe:
    """Run one turn of the agent `component` alone on `task`."""
    secrets = _secrets(component, credentials)
    try:
        agent = _load(component, "agent", credentials)
    except _ProbeFailed as exc:
        return AgentProbe([], _redact(str(exc), secrets))
    if hasattr(agent, "input_func"):  # a user proxy would wait for a person nobody asked
        await agent.close()
        return AgentProbe([], "A user proxy's turn is a person's reply: try it in the Playground, where it asks you.")
    try:
        result = await _limited(agent.run(task=task), timeout)
    except _ProbeFailed as exc:
        return AgentProbe([], _redact(str(exc), secrets))
    finally:
        await agent.close()
    dumps = json.loads(_redact(json.dumps([m.dump() for m in result.messages]), secrets))
    return AgentProbe(dumps)


async def probe_mcp(component: dict[str, Any], *, credentials: Credentials | None = None,
                    timeout: float = PROBE_TIMEOUT_SECONDS) -> McpListing:
    """Connect the MCP workbench `component` (starting a stdio server in the sandbox) and list its tools,
    resources and prompts; the session is closed before this returns."""
    secrets = _secrets(component, credentials)
    try:
        bench = _mcp_workbench(component, credentials)
    except _ProbeFailed as exc:
        return McpListing(error=_redact(str(exc), secrets))
    try:
        listing = await _limited(_listing(bench), timeout)
    except _ProbeFailed as exc:
        return McpListing(error=_redact(str(exc), secrets))
    finally:
        await bench.close()
    return listing


async def probe_mcp_tool(component: dict[str, Any], name: str, arguments: Mapping[str, Any], *,
                         credentials: Credentials | None = None,
                         timeout: float = PROBE_TIMEOUT_SECONDS) -> ToolProbe:
    """Call the tool `name` (as the agent sees it) of the MCP workbench `component` once."""
    started = time.perf_counter()
    secrets = _secrets(component, credentials)
    try:
        bench = _mcp_workbench(component, credentials)
    except _ProbeFailed as exc:
        return ToolProbe(_redact(str(exc), secrets), True, 0.0)
    content, is_error = await _tool_result(bench.call_tool(name, dict(arguments)), timeout, bench.close)
    return ToolProbe(_redact(content, secrets), is_error, (time.perf_counter() - started) * 1000)


def _mcp_workbench(component: dict[str, Any], credentials: Credentials | None) -> McpWorkbench:
    bench = _load(component, "workbench", credentials)
    if not isinstance(bench, McpWorkbench):
        raise _ProbeFailed("Only an MCP workbench connects to a server.")
    return bench


async def _listing(bench: McpWorkbench) -> McpListing:
    await bench.start()
    session = bench.session
    assert session is not None and session.initialize_result is not None
    info = session.initialize_result
    tools = tuple(McpTool(schema["name"], tool.name, schema["description"], dict(tool.inputSchema))
                  for tool in await session.list_tools()
                  for schema in [tool_schema(tool, bench.tool_overrides.get(tool.name))])
    resources: tuple[dict[str, Any], ...] = ()
    prompts: tuple[dict[str, Any], ...] = ()
    resources_error: str | None = "The server offers none."
    prompts_error: str | None = "The server offers none."
    if info.capabilities.resources is not None:
        try:
            found = await session.request("resources/list", lambda client: client.list_resources())
            resources, resources_error = tuple(r.model_dump(mode="json", exclude_none=True)
                                               for r in found.resources), None
        except Exception as exc:  # noqa: BLE001 - shown as the server answered
            resources_error = f"{type(exc).__name__}: {exc}"
    if info.capabilities.prompts is not None:
        try:
            listed = await session.request("prompts/list", lambda client: client.list_prompts())
            prompts, prompts_error = tuple(p.model_dump(mode="json", exclude_none=True) for p in listed.prompts), None
        except Exception as exc:  # noqa: BLE001 - shown as the server answered
            prompts_error = f"{type(exc).__name__}: {exc}"
    server = f"{info.serverInfo.name} {info.serverInfo.version}".strip()
    return McpListing(server, tools, resources, prompts, resources_error, prompts_error)


# --- helpers ------------------------------------------------------------------------------------


def _load(component: dict[str, Any], kind: str, credentials: Credentials | None) -> Any:
    """The runtime object of `component` with the stored keys in it; raises `_ProbeFailed` if it can't."""
    injected = inject_credentials(component, credentials or Credentials())
    try:
        return load_component(injected, kind=kind)
    except ComponentValidationError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        raise _ProbeFailed("The component is not valid: " + "; ".join(map(str, errors))) from None
    except UnsupportedComponentError as exc:
        raise _ProbeFailed(str(exc)) from None
    except (ValueError, ModelClientError) as exc:
        raise _ProbeFailed(str(exc)) from None


async def _tool_result(call: Awaitable[ToolResult], timeout: float,
                       close: Callable[[], Awaitable[None]]) -> tuple[str, bool]:
    """A probe's tool call within `timeout` as (content, is_error), a failure or timeout as an error result;
    `close` runs after it either way."""
    try:
        result = await _limited(call, timeout)
    except _ProbeFailed as exc:
        return str(exc), True
    finally:
        await close()
    return result.content, result.is_error


async def _limited(awaitable: Awaitable[T], timeout: float) -> T:
    """Await with a deadline; a timeout or a failure of the component becomes `_ProbeFailed`."""
    try:
        return await asyncio.wait_for(awaitable, timeout)
    except TimeoutError:
        raise _ProbeFailed(f"No answer within {timeout:g} s: gave up.") from None
    except ModelClientError as exc:
        raise _ProbeFailed(str(exc)) from None
    except Exception as exc:  # the component's own failure, shown as the real error
        raise _ProbeFailed(f"{type(exc).__name__}: {exc}") from None


def _secrets(component: Any, credentials: Credentials | None) -> list[str]:
    """Every key a probe could see: the stored ones and those written in the component."""
    found = (credentials or Credentials()).secret_values()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in SECRET_FIELDS and isinstance(value, str) and len(value) > 6:
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(component)
    return found


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, masked(secret))
    return text


__all__ = ["PROBE_TIMEOUT_SECONDS", "AgentProbe", "McpListing", "McpTool", "ModelProbe", "ToolProbe", "probe_agent",
           "probe_mcp", "probe_mcp_tool", "probe_model", "probe_tool"]
