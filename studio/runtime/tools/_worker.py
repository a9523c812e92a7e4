"""Sandbox worker: runs user tool functions on behalf of studio's server process.

Standalone and stdlib-only on purpose (it must never import `studio`): the parent starts it through the
isolation layer (studio/runtime/isolation: the launcher has applied the limits and dropped privileges) as
`python -I _worker.py <config json>`, config {"max_result": bytes}.

Protocol: frames of a 4-byte big-endian length followed by UTF-8 JSON, requests on stdin, replies
on stdout. At start the worker sends {"ready": true, "pid": ...}.
Request: {"k": cache key, "a": kwargs, "c": cpu seconds, "code": {"src", "fn", "imp"} (optional)}.
Reply: {"ok": true, "r": text} | {"ok": false, "e": text} | {"ok": false, "oom": true} | {"missing": true}.
The real stdin/stdout are moved to private descriptors so that user `print`/`input` cannot corrupt it
(prints go to the worker's stderr, which the parent points at /dev/null).
"""

from __future__ import annotations

import builtins
import contextlib
import inspect
import io
import json
import math
import os
import resource
import sys
import types
import typing
from collections.abc import Callable, Coroutine
from typing import IO, Any, NotRequired, TypedDict

if typing.TYPE_CHECKING:
    import asyncio

ImportSpec = str | dict[str, Any]  # AutoGen's global_imports entry, as JSON
Converter = Callable[[Any], Any]
Reply = dict[str, Any]


class _Code(TypedDict):
    src: str
    fn: str
    imp: list[ImportSpec]


class _Request(TypedDict):
    k: str
    a: NotRequired[dict[str, Any] | None]
    c: NotRequired[float | None]
    code: NotRequired[_Code]


# A loaded tool: (function, is_async, wants_token, converters by parameter name).
_Entry = tuple[Callable[..., Any], bool, bool, dict[str, Converter]]

_CACHE_SIZE = 64
_cache: dict[str, _Entry] = {}  # by cache key
_loop: asyncio.AbstractEventLoop | None = None


class _Token:
    """Stand-in for CancellationToken inside the worker: the parent kills the worker to cancel."""

    def __init__(self) -> None:
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    def is_cancelled(self) -> bool:
        return self._cancelled

    def add_callback(self, callback: Callable[[], None]) -> None:
        return None

    def link_future(self, future: Any) -> Any:
        return future


class _LoadError(Exception):
    pass


def _cpu_budget(seconds: float | None) -> None:
    """Raise the soft CPU limit to (CPU used so far + this call's budget): SIGXCPU past it."""
    if not seconds:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + float(seconds))  # whole seconds only
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _import_statement(spec: ImportSpec) -> str:
    """AutoGen's global_imports: "mod", {"module": m, "imports": [...]}, or {"name": n, "alias": a}."""
    if isinstance(spec, str):
        return f"import {spec}"
    if "module" in spec:
        names = [i if isinstance(i, str) else f"{i['name']} as {i['alias']}" for i in spec.get("imports", [])]
        return f"from {spec['module']} import {', '.join(names)}"
    return f"import {spec['name']} as {spec['alias']}"


def _load(key: str, code: _Code) -> _Entry:
    """Run the imports and the source in a fresh module; cache the tool function by key."""
    module_name = f"studio_tool_{key[:16]}"
    module = types.ModuleType(module_name)
    module.__dict__["__builtins__"] = builtins
    sys.modules[module_name] = module  # so dataclasses/pydantic in the source can find their module
    namespace = module.__dict__
    for spec in code.get("imp") or []:
        statement = _import_statement(spec)
        try:
            exec(statement, namespace)
        except ModuleNotFoundError:
            raise _LoadError(
                f"Failed to import {statement}: Module not found. Please ensure the module is installed."
            ) from None
        except ImportError as e:
            raise _LoadError(f"Failed to import {statement}: {e}") from None
        except Exception as e:
            raise _LoadError(f"Unexpected error while importing {statement}: {e}") from None
    try:
        exec(compile(code["src"], f"<tool {code['fn']}>", "exec"), namespace)
    except Exception as e:
        raise _LoadError(f"Could not compile and load function: {e}") from None
    func = namespace.get(code["fn"])
    if not callable(func):
        raise _LoadError(f"Expected function but got {type(func)}")
    try:
        wants_token = "cancellation_token" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        wants_token = False
    entry: _Entry = (func, inspect.iscoroutinefunction(func), wants_token, _converters(func))
    if len(_cache) >= _CACHE_SIZE:
        del _cache[next(iter(_cache))]
    _cache[key] = entry
    return entry


_JSON_NATIVE = (str, int, float, bool, type(None), list, dict, typing.Any)


def _converters(func: Callable[..., Any]) -> dict[str, Converter]:
    """For parameters typed beyond JSON (date, datetime, UUID, Decimal, models...): a function turning the
    JSON value into that type, as AutoGen's pydantic argument model does before calling the tool."""
    try:
        hints = typing.get_type_hints(func)
    except Exception:
        return {}
    wanted = {name: hint for name, hint in hints.items() if name != "return" and hint not in _JSON_NATIVE}
    if not wanted:
        return {}
    try:
        from pydantic import TypeAdapter
    except ImportError:
        return {}
    converters: dict[str, Converter] = {}
    for name, hint in wanted.items():
        try:
            converters[name] = TypeAdapter(hint).validate_python
        except Exception:
            continue
    return converters


def _run_coroutine(coroutine: Coroutine[Any, Any, Any]) -> Any:
    global _loop
    import asyncio

    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
    return _loop.run_until_complete(coroutine)


def _as_text(value: object) -> str:
    """AutoGen's return_value_as_string: pydantic models as JSON, everything else via str()."""
    dump = getattr(value, "model_dump", None)
    if callable(dump) and not isinstance(value, type):
        dumped = dump()
        return json.dumps(dumped) if isinstance(dumped, dict) else str(dumped)
    return str(value)


def _format_error(error: BaseException) -> str:
    """AutoGen's StaticWorkbench format: str(e), exception groups flattened one line each."""
    if isinstance(error, BaseExceptionGroup):
        return "\n".join(filter(None, (_format_error(e) for e in error.exceptions))).strip()
    if not isinstance(error, Exception):
        return f"{type(error).__name__}: {error}".strip()
    return str(error).strip()


def _handle(request: _Request) -> Reply:
    key = request["k"]
    _cpu_budget(request.get("c"))
    entry = _cache.get(key)
    if entry is None:
        if "code" not in request:
            return {"missing": True}
        try:
            entry = _load(key, request["code"])
        except _LoadError as e:
            return {"ok": False, "e": str(e)}
    func, is_async, wants_token, converters = entry
    kwargs = request.get("a") or {}
    for name, convert in converters.items():
        if name in kwargs:
            kwargs[name] = convert(kwargs[name])
    if wants_token:
        kwargs["cancellation_token"] = _Token()
    result = _run_coroutine(func(**kwargs)) if is_async else func(**kwargs)
    return {"ok": True, "r": _as_text(result)}


def _serve(inp: IO[bytes], out_fd: int, workdir: str, max_result: int) -> None:
    def send(message: Reply) -> None:
        data = json.dumps(message, ensure_ascii=False, default=str).encode("utf-8", "replace")
        if len(data) > max_result:
            data = json.dumps({"ok": False, "e": f"Tool result too large ({len(data)} bytes, limit {max_result})"}).encode()
        view = memoryview(len(data).to_bytes(4, "big") + data)
        while view:
            view = view[os.write(out_fd, view) :]

    send({"ready": True, "pid": os.getpid()})
    while True:
        head = inp.read(4)
        if len(head) < 4:
            return  # the parent closed the pipe: shut down quietly
        body = inp.read(int.from_bytes(head, "big"))
        try:
            os.chdir(workdir)
            reply = _handle(json.loads(body))
        except MemoryError:
            reply = {"ok": False, "oom": True}
        except BaseException as e:  # the tool's own failure, SystemExit included
            reply = {"ok": False, "e": _format_error(e)}
        try:
            send(reply)
        except MemoryError:
            send({"ok": False, "oom": True})


def main() -> None:
    cfg: dict[str, Any] = json.loads(sys.argv[1])
    # Keep the protocol pipes on private (non-inheritable) descriptors; user I/O gets /dev/null and stderr.
    in_fd, out_fd = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    try:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(line_buffering=True)
    except Exception:
        pass
    with os.fdopen(in_fd, "rb", buffering=1 << 16) as inp:
        _serve(inp, out_fd, os.getcwd(), int(cfg.get("max_result") or 1 << 30))


if __name__ == "__main__":
    main()
