"""A loopback HTTP server answering GET with a fixed (status, body) per path, for tests that fetch URLs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def file_server(routes: Mapping[str, tuple[int, bytes]], *, slow: Mapping[str, float] | None = None,
                drip: Mapping[str, float] | None = None, unsized: frozenset[str] = frozenset(),
                redirects: Mapping[str, str] | None = None, log: list[str] | None = None) -> Iterator[str]:
    """`http://127.0.0.1:<port>` serving `routes` (anything else: 404); a path in `slow` waits that many
    seconds before answering (timeouts); a path in `drip` sends its body one byte per that many seconds
    (appending "<path> finished" or "<path> cut off" to `log`); a path in `unsized` is sent without a
    Content-Length; a path in `redirects` answers 302 to that location."""
    delays, drips, moved = dict(slow or {}), dict(drip or {}), dict(redirects or {})
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delays.get(self.path, 0.0))
            if self.path in moved:
                self.send_response(302)
                self.send_header("Location", moved[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status, body = routes.get(self.path, (404, b"not found"))
            self.send_response(status)
            if self.path not in unsized:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.path not in drips:
                self.wfile.write(body)
                return
            try:
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    if stop.wait(drips[self.path]):
                        break
                outcome = "finished"
            except OSError:
                outcome = "cut off"
            if log is not None:
                log.append(f"{self.path} {outcome}")

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
