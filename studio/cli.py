"""The `studio` command: validate and run team JSON files headless, serve them as an HTTP API, or serve the
web studio.

Imports stay inside the commands, so `studio ui` starts fast."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    code: int = args.handler(args)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studio", description="Build, validate and run multi-agent teams.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a team JSON file and list every problem")
    validate.add_argument("file", type=Path, help="a component JSON file (AutoGen's format)")
    validate.set_defaults(handler=_validate)

    run = commands.add_parser("run", help="run a team JSON file on a task and print its trace")
    run.add_argument("file", type=Path, help="a team JSON file (AutoGen's format)")
    run.add_argument("--task", help="the task to give the team (default: the --replay recording's task)")
    run.add_argument("--replay", type=Path, metavar="RECORDING",
                     help="answer with a recording's model replies instead of calling models: a gallery demo "
                          "(gallery/demos/*.json) or a Playground recording; no API key needed")
    run.add_argument("--jsonl", action="store_true", help="print one JSON object per message/event, then the TaskResult")
    run.set_defaults(handler=_run)

    serve = commands.add_parser("serve", help="serve team JSON files as an HTTP API (OpenAI-compatible too)")
    serve.add_argument("path", type=Path, help="a team JSON file, or a folder of them (each served by its file name)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8084, help="port to listen on (default 8084)")
    serve.add_argument("--api-key", help="require `Authorization: Bearer KEY` (default: STUDIO_SERVE_API_KEY)")
    serve.add_argument("--mcp", action="store_true",
                       help="also serve each team as an MCP tool (streamable HTTP) at /mcp, under the same key")
    serve.set_defaults(handler=_serve)

    export = commands.add_parser("export", help="print a saved team as JSON or as a Python script that runs it")
    export.add_argument("team_id", type=int, help="the team's id (shown on the Teams page and in /api/teams)")
    export.add_argument("--format", choices=("json", "python", "autogen"), default="json",
                        help="json: AutoGen's component; python: a script on Studio's runtime; autogen: a script for AutoGen")
    export.add_argument("--home", type=Path, help="Studio's data directory (default ~/.studio)")
    export.add_argument("--database-url", help="SQLAlchemy database URL (default: SQLite in the home directory)")
    export.set_defaults(handler=_export)

    rotate = commands.add_parser("rotate-key", help="re-encrypt the saved keys and variables with a new key")
    rotate.add_argument("--generate", action="store_true", help="only print a new key (for STUDIO_ENCRYPTION_KEY)")
    rotate.add_argument("--home", type=Path, help="Studio's data directory (default ~/.studio)")
    rotate.add_argument("--database-url", help="SQLAlchemy database URL (default: SQLite in the home directory)")
    rotate.set_defaults(handler=_rotate_key)

    ui = commands.add_parser("ui", help="serve the web studio (builder, playground, gallery)")
    ui.add_argument("--host", help="address to listen on (default 127.0.0.1; others need STUDIO_AUTH_TOKEN)")
    ui.add_argument("--port", type=int, help="port to listen on (default 8081)")
    ui.add_argument("--home", type=Path, help="directory for Studio's data (default ~/.studio)")
    ui.add_argument("--database-url", help="SQLAlchemy database URL (default: SQLite in the home directory)")
    ui.add_argument("--open", action="store_true", help="open the studio in a web browser")
    ui.set_defaults(handler=_ui)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from .components import validate_component

    problems = validate_component(_read(args.file))
    for problem in problems:
        print(problem, file=sys.stdout if problem.severity == "error" else sys.stderr)
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        print(f"{args.file}: valid" + (f" ({len(problems)} warning(s))" if problems else ""))
    return 1 if errors else 0


def _run(args: argparse.Namespace) -> int:
    from .components import ComponentValidationError, load_component

    data, replies = _read_json(args.file), {}
    if args.replay:
        from .playground.recording import replay_component, replay_inputs

        recording = _read_json(args.replay)
        data, replies = replay_component(data, recording), replay_inputs(recording)
        args.task = args.task or recording.get("task")
    if not (args.task or "").strip():
        print("error: --task is empty" if args.task is not None else "error: give a --task", file=sys.stderr)
        return 2
    from .settings import Settings

    Settings().configure_runtime()
    try:
        team = load_component(data)
    except ComponentValidationError as e:
        print(e, file=sys.stderr)
        return 1
    if not hasattr(team, "run_stream"):
        print(f"error: {args.file} is not a team or an agent", file=sys.stderr)
        return 1
    if replies and hasattr(team, "participants"):
        from .playground.human_input import user_proxies
        from .playground.replay import scripted_input

        for key, proxy in user_proxies(team):
            proxy.input_func = scripted_input(replies.get(key, []))
    return asyncio.run(_run_team(team, args.task, jsonl=args.jsonl))


async def _run_team(team: object, task: str, *, jsonl: bool) -> int:
    from .runtime.cancellation import CancellationToken
    from .runtime.messages import TaskResult
    from .trace_printer import TracePrinter

    token = CancellationToken()
    loop = asyncio.get_running_loop()

    def on_interrupt() -> None:
        if token.is_cancelled():
            raise KeyboardInterrupt
        print("\nCancelling… (Ctrl-C again to quit at once)", file=sys.stderr)
        token.cancel()

    loop.add_signal_handler(signal.SIGINT, on_interrupt)
    printer = TracePrinter(sys.stdout)
    result: TaskResult | None = None
    try:
        async for item in team.run_stream(task=task, cancellation_token=token):  # type: ignore[attr-defined]
            if isinstance(item, TaskResult):
                result = item
            if jsonl:
                print(json.dumps(item.dump(), ensure_ascii=False), flush=True)
            else:
                printer.show(item)
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        await team.close()  # type: ignore[attr-defined]
    stop = (result.stop_reason or "") if result else ""
    return 1 if stop.startswith("Error:") else 0


def _ui(args: argparse.Namespace) -> int:
    from .web.server import serve

    overrides = {"host": args.host, "port": args.port, "home": args.home, "database_url": args.database_url}
    return serve({k: v for k, v in overrides.items() if v is not None}, open_browser=args.open)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .serve import CatalogError, RunLimits, TeamCatalog, create_serve_app
    from .serve.app import MCP_PATH
    from .settings import Settings, is_loopback

    settings = Settings()
    settings.configure_runtime()
    try:
        catalog = TeamCatalog.from_path(args.path)
    except CatalogError as e:
        print("studio serve: cannot serve:\n" + "\n".join(f"  {p}" for p in e.problems), file=sys.stderr)
        return 1
    key = args.api_key or (settings.serve_api_key.get_secret_value() if settings.serve_api_key else None)
    if not key and not is_loopback(args.host):
        print(f"studio serve: listening on {args.host} needs an API key (--api-key or STUDIO_SERVE_API_KEY)",
              file=sys.stderr)
        return 2
    limits = RunLimits(settings.serve_max_concurrent_runs, settings.serve_run_timeout_seconds)
    app = create_serve_app(catalog, api_key=key, limits=limits, max_body_bytes=settings.max_body_bytes, mcp=args.mcp)
    names = ", ".join(t.name for t in catalog)
    from .runtime.isolation import status

    if warning := status().warning():
        print(f"studio serve: {warning}", file=sys.stderr)
    mcp = f", MCP at http://{args.host}:{args.port}{MCP_PATH}" if args.mcp else ""
    print(f"Serving {names} at http://{args.host}:{args.port}  (POST /teams/NAME/runs, /v1/chat/completions{mcp}; "
          f"{'bearer key required' if key else 'no key required'}; Ctrl-C to stop)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _export(args: argparse.Namespace) -> int:
    from .services import team_scripts, teams
    from .services.errors import NotFoundError
    from .settings import Settings
    from .store import make_engine, migrate, session

    overrides = {"home": args.home, "database_url": args.database_url}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    url = settings.resolved_database_url
    if settings.database_url is None and not (settings.home / "studio.db").exists():
        print(f"studio export: no studio database in {settings.home} (start `studio ui` once, or pass --home)",
              file=sys.stderr)
        return 1
    engine = make_engine(url)
    migrate(engine)  # as `studio ui` would on start: an older database reads like a current one
    with session(engine) as db:
        try:
            team = teams.get_team(db, args.team_id)
        except NotFoundError:
            known = ", ".join(f"{t.id} ({t.label})" for t in teams.list_teams(db)) or "none"
            print(f"studio export: no team {args.team_id}; teams: {known}", file=sys.stderr)
            return 1
        file = team_scripts.export_team_file(team, format=args.format)
    sys.stdout.write(file.body)
    return 0


def _rotate_key(args: argparse.Namespace) -> int:
    """A new encryption key for the saved secrets (README: Secrets at rest)."""
    from pydantic import ValidationError

    from .settings import Settings
    from .store import make_engine, migrate
    from .store.crypto import SecretKeyError, new_key, prepare_secrets, rotate

    if args.generate:
        print(new_key())
        return 0
    overrides = {"home": args.home, "database_url": args.database_url}
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as e:
        print(f"studio rotate-key: {e.errors()[0]['msg']}", file=sys.stderr)
        return 2
    engine = make_engine(settings.resolved_database_url)
    try:
        migrate(engine)
        prepare_secrets(engine, settings)  # every secret decrypts before anything changes
        count, where = rotate(engine, settings)
    except SecretKeyError as e:
        print(f"studio rotate-key: {e}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Re-encrypted {count} secret(s) with {where}.")
    if settings.encryption_key is not None:
        print("Now set STUDIO_ENCRYPTION_KEY to that key alone.")
    return 0


def _read_json(path: Path) -> Any:
    try:
        return json.loads(_read(path))
    except ValueError as e:
        raise SystemExit(f"error: {path} is not valid JSON: {e}") from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise SystemExit(f"error: cannot read {path}: {e.strerror}") from None


if __name__ == "__main__":
    raise SystemExit(main())
