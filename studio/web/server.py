"""`studio ui`: build the settings, bind the port, start the app under uvicorn, print the URL.

The app migrates the database and seeds the gallery as it starts (its lifespan); the URL is printed
once the studio answers, and `--open` opens it then.
"""

from __future__ import annotations

import gc
import logging
import socket
import sys
import threading
import webbrowser
from typing import Any

import uvicorn
from pydantic import ValidationError

from studio.runtime.isolation import status
from studio.settings import Settings
from studio.store import make_engine, migrate
from studio.store.crypto import SecretKeyError, prepare_secrets

from .app import create_app
from .warm_up import warm_up


def serve(overrides: dict[str, Any], *, open_browser: bool = False) -> int:
    """Run the studio until Ctrl-C; the exit code (2: settings refused, 1: could not start)."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            print(f"studio ui: {where + ': ' if where else ''}{message}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("studio").setLevel(logging.INFO)
    try:
        open_secrets(settings)
    except SecretKeyError as exc:
        print(f"studio ui: {exc}", file=sys.stderr)
        return 1
    try:
        sock = _bind(settings.host, settings.port)
    except OSError as exc:
        print(f"studio ui: cannot listen on {settings.host}:{settings.port}: {exc.strerror}", file=sys.stderr)
        return 1
    url = _url(settings.host, sock.getsockname()[1])
    where = f"data in {settings.home}" if settings.database_url is None else "database from STUDIO_DATABASE_URL"
    app = create_app(settings)
    if warning := status().warning():
        print(f"studio ui: {warning}", file=sys.stderr)
    warm_up(app.state.jinja)
    server = _Server(
        uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5,
                       proxy_headers=settings.trust_proxy_headers),
        ready_message=f"Studio is running at {url}  ({where}; Ctrl-C to stop)",
        open_url=url if open_browser else None,
    )
    server.run(sockets=[sock])
    return 0 if server.started else 1


class _Server(uvicorn.Server):
    """uvicorn's server, announcing the URL (and opening a browser) once it is ready."""

    def __init__(self, config: uvicorn.Config, *, ready_message: str, open_url: str | None) -> None:
        super().__init__(config)
        self.ready_message = ready_message
        self.open_url = open_url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            # Everything built so far (modules, the app, its templates, the database and gallery set-up)
            # lives as long as the server: keep it out of the garbage collector's full passes, which
            # otherwise walk it all while every run waits (pauses of up to 140 ms under
            # bench/playground.py's load, 50 ms after this).
            gc.freeze()
            print(self.ready_message, flush=True)
            if self.open_url:
                threading.Thread(target=webbrowser.open, args=(self.open_url,), daemon=True).start()


def open_secrets(settings: Settings) -> None:
    """Migrate and check the saved secrets decrypt with this key before serving (the app's start does it
    again, as a no-op): a wrong or missing key is then one line, not a traceback from the server."""
    engine = make_engine(settings.resolved_database_url)
    try:
        migrate(engine)
        prepare_secrets(engine, settings)
    finally:
        engine.dispose()


def _bind(host: str, port: int) -> socket.socket:
    address = host.strip("[]")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((address, port))
    except OSError:
        sock.close()
        raise
    return sock


def _url(host: str, port: int) -> str:
    address = host.strip("[]")
    if address in ("0.0.0.0", "::"):  # every interface: this machine's own name reaches it
        address = socket.gethostname()
    return f"http://[{address}]:{port}/" if ":" in address else f"http://{address}:{port}/"


__all__ = ["serve"]
