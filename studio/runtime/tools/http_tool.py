"""HttpTool: AutoGen's `autogen_ext.tools.http.HttpTool`, an HTTP endpoint the model calls as a tool.

The arguments are validated against the tool's `json_schema` (as AutoGen's argument model does: optional
properties come as null), then mapped as AutoGen maps them: those named in the path (`/users/{id}`) fill
it, the rest go in the query string for GET and DELETE and in a JSON body for POST, PUT and PATCH. The reply
is the response's text (any status), or for `return_type: "json"` its parsed value as Python writes it.

Beyond AutoGen: header values may read Settings' variables as `${NAME}` when the tool declares them in
`variables` (they are filled in at run time only, never written, and masked in what the tool returns), the
response is read up to `max_response_bytes` (a clear error past it), and timeouts, refused connections
and bad JSON come back as error results that say what happened.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import httpx
from pydantic import Field, ValidationError, ValidationInfo, field_validator

from ..cancellation import CancellationToken
from ..config import Built, ConfigModel, Dump, filled
from ..models.types import ToolSchema
from .args_model import args_schema, model_from_json_schema
from .base import Tool, ToolResult
from .variables import hide_values, missing_message, references, substitute

__all__ = ["DEFAULT_MAX_RESPONSE_BYTES", "HttpTool", "HttpToolConfig"]

Method = Literal["GET", "POST", "PUT", "DELETE", "PATCH"]
DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_RESPONSE_BYTES = 1_000_000
_IN_QUERY = ("GET", "DELETE")
_PATH_PARAM = re.compile(r"{([^}]*)}")


class HttpToolConfig(ConfigModel):
    """AutoGen 0.7.5's fields (it requires `description` and `headers`, even as null), then the studio's
    `variables` and `max_response_bytes` (AutoGen ignores them)."""

    name: str = Field(description="The tool's name as the model sees it, a short identifier such as get_weather.")
    description: str | None = filled("HTTP tool", autogen_required=True, description="Tells the model what the "
                                     "endpoint does and when to call it.")
    scheme: Literal["http", "https"] = Field("http", description="http or https.")
    host: str = Field(description="The server's host name or IP address, without scheme or path.")
    port: int = Field(ge=1, le=65535, description="The server's port (80 for http, 443 for https).")
    path: str = Field("/", description="The path requested. {name} parts are filled from the arguments of the same "
                      "name, which the JSON schema must declare as strings.")
    method: Method | None = filled("POST", description="The HTTP method. Arguments go in the query string for GET "
                                   "and DELETE, in a JSON body otherwise.")
    headers: dict[str, Any] | None = filled(None, autogen_required=True, description="Headers sent with every "
                                            "request, as a JSON object. A value may read a variable declared "
                                            "below as ${NAME}, e.g. \"Bearer ${API_TOKEN}\".")
    json_schema: dict[str, Any] = Field(description="The JSON schema of the arguments the model gives (an object "
                                        "schema with properties and required).")
    return_type: Literal["text", "json"] | None = filled("text", description="text: the response body as the "
                                                         "result; json: the body parsed as JSON.")
    timeout: float = Field(DEFAULT_TIMEOUT, gt=0, description="Seconds to wait for the server before the call "
                           "fails.")
    variables: list[str] | None = Field(None, validate_default=True, description="Names of the variables for tools "
                                        "(kept in Settings) the headers read: the tool gets those and no others.")
    max_response_bytes: int | None = Field(None, ge=1, description="The largest response body read; a larger one "
                                           f"fails the call. Empty: {DEFAULT_MAX_RESPONSE_BYTES:,} bytes.")
    variable_values: dict[str, str] | None = Field(default=None, exclude=True, repr=False)

    @field_validator("json_schema")
    @classmethod
    def _schema_models(cls, value: dict[str, Any]) -> dict[str, Any]:
        model_from_json_schema(value)
        return value

    @field_validator("variables")
    @classmethod
    def _headers_read_declared(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        declared = set(value or ())
        for header, text in (info.data.get("headers") or {}).items():
            unknown = [n for n in references(text) if n not in declared] if isinstance(text, str) else []
            if unknown:
                raise ValueError(f"header {header!r} reads ${{{unknown[0]}}}: add {unknown[0]} to variables")
        return value


class HttpTool(Tool):
    """Calls one HTTP endpoint; see the module docstring for how arguments and replies map."""

    component_config_schema = HttpToolConfig

    def __init__(
        self,
        name: str,
        host: str,
        port: int,
        json_schema: dict[str, Any],
        headers: Mapping[str, Any] | None = None,
        description: str = "HTTP tool",
        path: str = "/",
        scheme: Literal["http", "https"] = "http",
        method: Method = "POST",
        return_type: Literal["text", "json"] = "text",
        timeout: float = DEFAULT_TIMEOUT,
        *,
        variables: Sequence[str] | None = None,
        variable_values: Mapping[str, str] | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        self.name = name
        self.description = description
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.method = method
        self.headers = dict(headers) if headers is not None else None
        self.json_schema = json_schema
        self.return_type = return_type
        self.timeout = timeout
        self.variables = list(variables) if variables else None
        self.max_response_bytes = max_response_bytes
        values = variable_values or {}
        self._variable_values = {n: values[n] for n in self.variables or () if n in values}
        self._path_params = {m.group(1) for m in _PATH_PARAM.finditer(path)}
        self._args_model = model_from_json_schema(json_schema)

    @classmethod
    def _from_config(cls, config: HttpToolConfig, built: Built) -> HttpTool:
        return cls(
            config.name, config.host, config.port, config.json_schema, headers=config.headers,
            description="HTTP tool" if config.description is None else config.description, path=config.path,
            scheme=config.scheme, method=config.method or "POST", return_type=config.return_type or "text", timeout=config.timeout,
            variables=config.variables, variable_values=config.variable_values,
            max_response_bytes=config.max_response_bytes,
        )

    def _to_config(self, dump: Dump) -> dict[str, Any]:
        return {
            "name": self.name, "description": self.description, "scheme": self.scheme, "host": self.host,
            "port": self.port, "path": self.path, "method": self.method, "headers": self.headers,
            "json_schema": self.json_schema, "return_type": self.return_type, "timeout": self.timeout,
            "variables": self.variables, "max_response_bytes": self.max_response_bytes,
        }

    @property
    def schema(self) -> ToolSchema:
        return args_schema(self._args_model, self.name, self.description)

    async def run_json(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> ToolResult:
        """One request. Failures come back as error results; a cancelled token raises CancelledError."""
        missing = [n for n in self.variables or () if n not in self._variable_values]
        if missing:
            return ToolResult(name=self.name, is_error=True, content=missing_message(self.name, missing))
        try:
            values = self._args_model.model_validate(args).model_dump()
        except ValidationError as e:
            return self._error(str(e))
        try:
            path = self.path.format(**{k: values.pop(k) for k in self._path_params})
        except (KeyError, IndexError, ValueError) as e:
            return self._error(f"The path {self.path!r} names {e}, which is not an argument of the tool.")
        url = httpx.URL(scheme=self.scheme, host=self.host, port=self.port, path=path)
        request = asyncio.ensure_future(self._request(url, values))
        cancellation_token.link_future(request)
        try:
            content = await request
        except httpx.TimeoutException:
            return self._error(f"The request to {url} timed out after {self.timeout:g} s.")
        except _TooLarge as e:
            return self._error(str(e))
        except (httpx.HTTPError, OSError) as e:
            return self._error(f"The request to {url} failed: {str(e) or type(e).__name__}")
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            return self._error(f"The response of {url} is not JSON: {e}")
        return ToolResult(name=self.name, content=hide_values(content, self._variable_values.values()))

    async def _request(self, url: httpx.URL, values: dict[str, Any]) -> str:
        """Send the request; the body as text (or as its JSON value written by `str`, as AutoGen returns it)."""
        limit = self.max_response_bytes or DEFAULT_MAX_RESPONSE_BYTES
        method = self.method or "POST"
        in_query = method in _IN_QUERY
        async with (
            httpx.AsyncClient(timeout=httpx.Timeout(self.timeout)) as client,
            client.stream(method, url, headers=self._headers(), params=values if in_query else None,
                          json=None if in_query else values) as response,
        ):
            size = int(response.headers.get("content-length") or 0)
            body = bytearray()
            if size <= limit:
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > limit:
                        break
            if size > limit or len(body) > limit:
                raise _TooLarge(f"The response of {url} is larger than the {limit:,}-byte limit of tool "
                                f"'{self.name}' (max_response_bytes).")
            text = bytes(body).decode(response.encoding or "utf-8", errors="replace")
        return str(json.loads(text)) if self.return_type == "json" else text

    def _headers(self) -> dict[str, Any] | None:
        if self.headers is None:
            return None
        return {k: substitute(v, self._variable_values) if isinstance(v, str) else v for k, v in self.headers.items()}

    def _error(self, text: str) -> ToolResult:
        return ToolResult(name=self.name, content=hide_values(text, self._variable_values.values()), is_error=True)


class _TooLarge(Exception):
    """The response body passed the tool's limit."""
