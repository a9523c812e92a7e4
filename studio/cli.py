"""The `studio` command: validate and run team JSON files headless, or serve the web studio.

Imports stay inside the commands, so `studio ui` starts fast."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return args.handler(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studio", description="Build, validate and run multi-agent teams.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a team JSON file and list every problem")
    validate.add_argument("file", type=Path, help="a component JSON file (AutoGen's format)")
    validate.set_defaults(handler=_validate)

    run = commands.add_parser("run", help="run a team JSON file on a task and print its trace")
    run.add_argument("file", type=Path, help="a team JSON file (AutoGen's format)")
    run.add_argument("--task", required=True, help="the task to give the team")
    run.add_argument("--jsonl", action="store_true", help="print one JSON object per message/event, then the TaskResult")
    run.set_defaults(handler=_run)

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

    if not args.task.strip():
        print("error: --task is empty", file=sys.stderr)
        return 2
    try:
        team = load_component(_read(args.file))
    except ComponentValidationError as e:
        print(e, file=sys.stderr)
        return 1
    if not hasattr(team, "run_stream"):
        print(f"error: {args.file} is not a team or an agent", file=sys.stderr)
        return 1
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


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise SystemExit(f"error: cannot read {path}: {e.strerror}") from None


if __name__ == "__main__":
    raise SystemExit(main())
