"""FunctionTool: AutoGen's `autogen_core.tools.FunctionTool`, run from source in the sandbox.

The config carries the function's source; the server only parses it (schema, argument validation)
and every call runs in this tool instance's own sandboxed worker process (see sandbox.py): its module
state lasts from call to call until the tool is closed, and is never shared with another tool. Loading
problems (syntax errors, missing function, bad imports) never raise: they come back as error results when
the tool is called.
"""

from __future__ import annotations

import asyncio
import copy
import textwrap
import uuid
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import Field, ValidationError

from ..cancellation import CancellationToken
from ..config import Built, ConfigModel, TextOr, branch, filled, tagged
from ..models.types import ToolSchema
from .base import Tool, ToolResult
from .sandbox import Sandbox, SandboxLimits, ToolCode, configure_sandbox, get_sandbox_limits
from .schema import ParsedFunction, build_schema, parse_function
from .variables import hide_values, missing_message

__all__ = ["FunctionTool", "FunctionToolConfig", "SandboxLimits", "configure_sandbox", "get_sandbox_limits",
           "normalize_import"]


def normalize_import(item: Any) -> str | dict[str, Any]:
    """One AutoGen global import as JSON: "mod" | {"module", "imports"} | {"name", "alias"}.

    Accepts strings, dicts, and objects with those attributes (AutoGen's ImportFromModule/Alias).
    """
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        data = dict(item)
    elif hasattr(item, "model_dump"):
        data = item.model_dump()
    else:
        data = {k: getattr(item, k) for k in ("module", "imports", "name", "alias") if hasattr(item, k)}
    if "module" in data:
        names = [n if isinstance(n, str) else normalize_import(n) for n in data.get("imports") or ()]
        if not all(isinstance(n, str) or "alias" in n for n in names):
            raise ValueError(f"unsupported global import: {item!r}")
        return {"module": str(data["module"]), "imports": names}
    if "name" in data and "alias" in data:
        return {"name": str(data["name"]), "alias": str(data["alias"])}
    raise ValueError(f"unsupported global import: {item!r}")


class AliasConfig(ConfigModel):
    name: str
    alias: str


class ImportFromModuleConfig(ConfigModel):
    """`from <module> import <imports...>`."""

    module: str
    imports: list[TextOr[AliasConfig]]


def _import_kind(value: Any) -> str:
    if isinstance(value, str):
        return "module"
    return "alias" if isinstance(value, dict) and "alias" in value and "module" not in value else "from"


Import = Annotated[
    Annotated[str, branch("module")] | Annotated[ImportFromModuleConfig, branch("from")]
    | Annotated[AliasConfig, branch("alias")],
    tagged(_import_kind),
]
"""A global import of a function tool: a module name, `{module, imports}`, or `{name, alias}`."""


class FunctionToolConfig(ConfigModel):
    """A tool made from Python source. AutoGen requires `global_imports` and `has_cancellation_support`.

    `variables` (Studio's, ignored by AutoGen 0.7.5, whose config class ignores unknown keys): the names of
    the Settings variables the tool reads from its environment. `variable_values` is filled in at run time
    only (`studio.services.credentials.inject_credentials`) and never written (`exclude`)."""

    source_code: str = Field(description="The Python function the tool runs. Its name, type hints and docstring "
                             "become the schema the model sees.")
    name: str = Field(description="The tool's name as the model sees it; use a short identifier such as "
                      "get_weather.")
    description: str = Field(description="Tells the model what the tool does and when to call it. A clear "
                             "description matters more than anything else for good tool use.")
    global_imports: list[Import] = filled([], autogen_required=True, description="Imports the function needs, as "
                                          "a JSON list: \"math\", or {\"module\": \"typing\", \"imports\": [\"Any\"]}.")
    has_cancellation_support: bool = filled(False, autogen_required=True, description="The function accepts a "
                                            "cancellation_token argument and stops when the run is cancelled.")
    variables: list[str] | None = Field(
        default=None, description="Names of the variables for tools (kept in Settings) this tool reads from its "
        "environment, e.g. SERPAPI_KEY: it gets those and no others.")
    variable_values: dict[str, str] | None = Field(default=None, exclude=True, repr=False)


class FunctionTool(Tool):
    """A Python function tool defined by source code (AutoGen's FunctionTool component config).

    `limits` overrides the process-wide sandbox limits (`configure_sandbox`) for this tool only. `variables`
    names the Settings variables it reads; their `variable_values` (given at run time) are the only
    environment its workers get beyond the basics, nothing of the server's.
    """

    component_config_schema = FunctionToolConfig

    def __init__(
        self,
        source_code: str,
        name: str,
        description: str,
        global_imports: Sequence[Any] = (),
        has_cancellation_support: bool = False,
        *,
        limits: SandboxLimits | None = None,
        variables: Sequence[str] | None = None,
        variable_values: Mapping[str, str] | None = None,
    ) -> None:
        self.source_code = source_code
        self.name = name
        self.description = description
        self.global_imports = global_imports
        self.has_cancellation_support = has_cancellation_support
        self.limits = limits
        self.variables = list(variables) if variables else None  # the Settings variables it reads
        values = variable_values or {}
        self._variable_values = {n: values[n] for n in self.variables or () if n in values}
        self._parsed: ParsedFunction | None = None
        self._problem: str | None = None
        self._schema_cache: tuple[tuple[str, str], ToolSchema] | None = None
        self._sandbox: Sandbox | None = None
        source = textwrap.dedent(source_code)
        try:
            self._parsed = parse_function(source, name)
            imports = tuple(normalize_import(i) for i in global_imports)
            # A key of its own: this tool's module state is never shared with another tool instance.
            self._code = ToolCode(source, self._parsed.function_name, imports, key=uuid.uuid4().hex)
        except ValueError as e:
            self._problem = str(e)
        if not self.name and self._parsed is not None:
            self.name = self._parsed.function_name

    @classmethod
    def _from_config(cls, config: FunctionToolConfig, built: Built) -> FunctionTool:
        imports = config.model_dump(include={"global_imports"})["global_imports"]
        return cls(config.source_code, config.name, config.description, global_imports=imports,
                   has_cancellation_support=config.has_cancellation_support, variables=config.variables,
                   variable_values=config.variable_values)

    @property
    def schema(self) -> ToolSchema:
        """AutoGen's schema for this function (a fresh copy each time: callers may mutate it)."""
        cache_key = (self.name, self.description)
        if self._schema_cache is None or self._schema_cache[0] != cache_key:
            if self._parsed is None:
                empty = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
                built = ToolSchema(name=self.name, description=self.description, parameters=empty, strict=False)
            else:
                built = build_schema(self._parsed, self.name, self.description)
            self._schema_cache = (cache_key, built)
        return copy.deepcopy(self._schema_cache[1])

    async def run_json(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> ToolResult:
        """Validate the arguments here, run the function in a sandbox worker.

        Failures of the tool come back as `is_error` results; a cancelled token raises CancelledError.
        """
        if self._parsed is None:
            return ToolResult(name=self.name, content=f"Could not compile and load function: {self._problem}",
                              is_error=True)
        missing = [n for n in self.variables or () if n not in self._variable_values]
        if missing:
            return ToolResult(name=self.name, is_error=True, content=missing_message(self.name, missing))
        try:
            kwargs = self._parsed.validate(args or {})
        except ValidationError as e:
            return ToolResult(name=self.name, content=str(e), is_error=True)
        content, is_error = await self.sandbox().run(
            self._code, kwargs, cancellation_token, self.name, self.limits or get_sandbox_limits()
        )
        content = hide_values(content, self._variable_values.values())
        return ToolResult(name=self.name, content=content, is_error=is_error)

    def sandbox(self) -> Sandbox:
        """This tool's workers on the running event loop (started on first use, closed with the tool)."""
        loop = asyncio.get_running_loop()
        if self._sandbox is None or self._sandbox.closed or self._sandbox.loop is not loop:
            self._sandbox = Sandbox(self._variable_values)
        return self._sandbox

    async def end_run(self) -> None:
        """A run ended: its module state goes with its workers; the next run's first call starts afresh."""
        await self.close()

    async def close(self) -> None:
        """Stop this tool's workers: its module state ends here."""
        sandbox, self._sandbox = self._sandbox, None
        if sandbox is not None and not sandbox.closed and sandbox.loop is asyncio.get_running_loop():
            await sandbox.close()
