"""A scripted loopback server speaking the OpenAI chat-completions HTTP API, for tests.

Built on the stdlib only (ThreadingHTTPServer in a daemon thread, 127.0.0.1, port 0) so the
tests exercise the real `openai` client code path with no network and no extra dependency.

A test queues behaviours, one per incoming request, in order:

    server.reply("hello", usage=(10, 2))
    server.reply_tool_calls([("add", '{"a": 1}'), ("mul", '{"b": 2}')])
    server.stream(["Hel", "lo"], usage=(5, 2))
    server.fail(429, "slow down", times=2)      # 429 twice, then the next behaviour
    server.fail(500, "boom", forever=True)      # every request from now on
    server.fail(401, "Incorrect API key", retry_after_ms=None)  # not retried by the client
    server.delay(5.0)                           # wait before answering (timeouts)
    server.stream(["Hel", "lo"], gate=event)    # hold back all after the first chunk until event is set
    server.reply("hello", hold=event)           # answer only once event is set (reply, tool calls, stream)

and then inspects `server.requests` / `server.chat_requests` (method, path, query, headers,
JSON body). A gate or hold never opens by itself (stop() sets them all, so no handler outlives the
server). Error replies carry `retry-after-ms` (5 ms unless told otherwise), which the openai client
honours, so retry tests run fast without patching its backoff. Both `/v1/chat/completions` and
Azure's `/openai/deployments/{d}/chat/completions` are served.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: Any


@dataclass
class Behaviour:
    """What the server does for one request."""

    kind: str  # "reply" | "stream" | "fail" | "delay"
    content: str | None = None
    chunks: list[str] = field(default_factory=list)
    tool_calls: list[tuple[str, str]] = field(default_factory=list)
    finish_reason: str | None = None
    usage: tuple[int, int] | None = (0, 0)
    status: int = 200
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    forever: bool = False
    gate: threading.Event | None = None  # stream: wait for it after the first chunk
    hold: threading.Event | None = None  # wait for it before answering at all


class OpenAIServer:
    """The scripted server; use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._script: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._gates: list[threading.Event] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> OpenAIServer:
        handler = type("_Handler", (_Handler,), {"owner": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        httpd = self._httpd
        self._thread = threading.Thread(
            target=lambda: httpd.serve_forever(poll_interval=0.02), name="openai-test-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        for gate in self._gates:
            gate.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def endpoint(self) -> str:
        """Root URL, e.g. for Azure's `azure_endpoint`."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """OpenAI-style base URL (`.../v1`)."""
        return f"{self.endpoint}/v1"

    # -- scripting ---------------------------------------------------------------------------
    def _push(self, behaviour: Behaviour, times: int = 1) -> None:
        with self._lock:
            self._gates += [event for event in (behaviour.gate, behaviour.hold) if event is not None]
            for _ in range(times):
                self._script.append(behaviour)

    def reply(self, content: str, *, usage: tuple[int, int] | None = (10, 5), finish_reason: str = "stop",
              hold: threading.Event | None = None) -> None:
        self._push(Behaviour("reply", content=content, usage=usage, finish_reason=finish_reason, hold=hold))

    def reply_tool_calls(
        self,
        calls: list[tuple[str, str]],
        *,
        content: str | None = None,
        usage: tuple[int, int] | None = (10, 5),
        finish_reason: str = "tool_calls",
        hold: threading.Event | None = None,
    ) -> None:
        """Reply with tool calls `[(name, arguments_json), ...]`; ids are `call_0`, `call_1`, ..."""
        self._push(Behaviour("reply", content=content, tool_calls=calls, usage=usage, finish_reason=finish_reason,
                             hold=hold))

    def stream(
        self,
        chunks: list[str],
        *,
        tool_calls: list[tuple[str, str]] | None = None,
        usage: tuple[int, int] | None = (10, 5),
        finish_reason: str | None = None,
        gate: threading.Event | None = None,
        hold: threading.Event | None = None,
    ) -> None:
        """Stream text `chunks` (then tool calls, split in pieces) as SSE; a usage chunk comes last."""
        reason = finish_reason or ("tool_calls" if tool_calls else "stop")
        calls = tool_calls or []
        self._push(Behaviour("stream", chunks=chunks, tool_calls=calls, usage=usage, finish_reason=reason, gate=gate,
                             hold=hold))

    def fail(
        self,
        status: int,
        message: str = "error",
        *,
        times: int = 1,
        forever: bool = False,
        retry_after_ms: int | None = 5,
    ) -> None:
        """Answer with an OpenAI-style error; `retry_after_ms` keeps the client's backoff short."""
        headers = {"retry-after-ms": str(retry_after_ms)} if retry_after_ms is not None else {}
        behaviour = Behaviour("fail", status=status, message=message, headers=headers, forever=forever)
        self._push(behaviour, 1 if forever else times)

    def delay(self, seconds: float, then: str = "late", *, forever: bool = False) -> None:
        """Wait `seconds` (or until the server stops) before replying `then` (to trip the client's timeout)."""
        self._push(Behaviour("delay", seconds=seconds, content=then, forever=forever))

    def _next(self) -> Behaviour | None:
        with self._lock:
            if not self._script:
                return None
            behaviour = self._script[0]
            if not behaviour.forever:
                self._script.popleft()
            return behaviour

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]


def _completion(b: Behaviour, model: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": b.content}
    if b.tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": args}}
            for i, (name, args) in enumerate(b.tool_calls)
        ]
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": b.finish_reason, "logprobs": None}],
    }
    if b.usage is not None:
        body["usage"] = {"prompt_tokens": b.usage[0], "completion_tokens": b.usage[1], "total_tokens": sum(b.usage)}
    return body


def _chunk(model: str, delta: dict[str, Any] | None, finish_reason: str | None = None) -> dict[str, Any]:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish_reason}]
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": model, "choices": choices}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive or sleeping handlers must not hold up stop()


class _Handler(BaseHTTPRequestHandler):
    owner: OpenAIServer
    protocol_version = "HTTP/1.1"
    timeout = 10  # drop idle keep-alive connections eventually

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def do_GET(self) -> None:
        self._record(None)
        self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        self._record(body)
        if not urlsplit(self.path).path.endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
            return
        behaviour = self.owner._next()
        model = body.get("model", "unknown") if isinstance(body, dict) else "unknown"
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up: nothing to do
            self._serve(behaviour, model)

    def _record(self, body: Any) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.owner._lock:
            self.owner.requests.append(RecordedRequest(self.command, parts.path, query, headers, body))

    def _serve(self, b: Behaviour | None, model: str) -> None:
        if b is not None and b.hold is not None:
            b.hold.wait()
        if b is None:
            self._json(500, {"error": {"message": "test server: no scripted response left", "type": "server_error"}})
        elif b.kind == "fail":
            self._json(b.status, {"error": {"message": b.message, "type": "test_error", "code": None}}, b.headers)
        elif b.kind == "delay":
            if self.owner._stopping.wait(b.seconds):
                return
            self._json(200, _completion(Behaviour("reply", content=b.content, finish_reason="stop"), model))
        elif b.kind == "reply":
            self._json(200, _completion(b, model))
        else:
            self._stream(b, model)

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _stream(self, b: Behaviour, model: str) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        events: list[dict[str, Any]] = [_chunk(model, {"role": "assistant", "content": ""})]
        events += [_chunk(model, {"content": text}) for text in b.chunks]
        for i, (name, args) in enumerate(b.tool_calls):
            half = len(args) // 2  # arguments arrive in two pieces, like the real API
            head = {"index": i, "id": f"call_{i}", "type": "function", "function": {"name": name, "arguments": ""}}
            events.append(_chunk(model, {"tool_calls": [head]}))
            for piece in (args[:half], args[half:]):
                events.append(_chunk(model, {"tool_calls": [{"index": i, "function": {"arguments": piece}}]}))
        events.append(_chunk(model, {}, b.finish_reason))
        if b.usage is not None:
            usage = {"prompt_tokens": b.usage[0], "completion_tokens": b.usage[1], "total_tokens": sum(b.usage)}
            events.append({**_chunk(model, None), "usage": usage})
        for i, event in enumerate(events):
            self._send_chunk(f"data: {json.dumps(event)}\n\n".encode())
            if i == 1 and b.gate is not None:
                b.gate.wait()
        self._send_chunk(b"data: [DONE]\n\n")
        self._send_chunk(b"")

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()
