"""A loopback HTTP server answering GET with a fixed (status, body) per path, for tests that fetch URLs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def file_server(routes: Mapping[str, tuple[int, bytes]], *, slow: Mapping[str, float] | None = None) -> Iterator[str]:
    """`http://127.0.0.1:<port>` serving `routes` (anything else: 404); a path in `slow` waits that many
    seconds before answering (timeouts)."""
    delays = dict(slow or {})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delays.get(self.path, 0.0))
            status, body = routes.get(self.path, (404, b"not found"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
