"""A loopback HTTP server that answers every request with what it received, for tests of HTTP tools.

Any method, any path: the reply is JSON `{"method", "path", "query", "headers", "body"}` (the body parsed as
JSON when it is) with status 200, and each request is also appended to the server's `requests`. A few
paths behave otherwise: `/status/<code>` answers that status, `/big/<n>` sends n bytes of "x", `/text`
sends plain text, `/hang` answers only when the server stops (timeouts).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class EchoServer:
    url: str
    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def echo_server() -> Iterator[EchoServer]:
    stop = threading.Event()
    server_info: list[EchoServer] = []

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            parts = urlsplit(self.path)
            seen = {"method": self.command, "path": parts.path, "query": parse_qs(parts.query, keep_blank_values=True),
                    "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
            server_info[0].requests.append(seen)
            status, reply, kind = 200, json.dumps(seen).encode(), "application/json"
            if parts.path.startswith("/status/"):
                status = int(parts.path.rsplit("/", 1)[1])
            elif parts.path.startswith("/big/"):
                reply, kind = b"x" * int(parts.path.rsplit("/", 1)[1]), "text/plain"
            elif parts.path == "/text":
                reply, kind = "plain text, caf\u00e9".encode(), "text/plain; charset=utf-8"
            elif parts.path == "/hang":
                stop.wait()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    server_info.append(EchoServer(f"http://127.0.0.1:{port}", int(port)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_info[0]
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
