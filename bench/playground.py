"""Playground load: 50 concurrent runs in one `studio ui` server, each watched over SSE, against a loopback
OpenAI-compatible server that answers every request in 200 ms.

Checks that every run finishes and that each SSE client got every stored event once, in order; prints
the delay from an event being produced (the message's own `created_at`, set when the agent made it, so
the wait for a database thread and the commit are included) to reaching its SSE client (p50, p95, max;
target p95 under 50 ms), the same from the row's `created_at` (set in the worker thread just before the
insert and commit), the wall time, and the server's memory (RSS, peak and at the end). Same machine,
same clock: both processes read `time.time()`.

    python bench/playground.py                      # 2 rounds of 50 runs, 2 agents, 9 messages each, SQLite
    python bench/playground.py --runs 100 --messages 21
    python bench/playground.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    python bench/playground.py --by-seq             # p95 per message position too (#2: the first replies)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' loopback server and team builders, run from anywhere

from studio import store
from studio.settings import Settings
from studio.store import make_engine, session
from tests.support.playground_teams import loopback_team

PRODUCED, STORED, CAUGHT_UP = "produced -> SSE client, live", "stored -> SSE client, live", "caught up on connecting"
READY = re.compile(r"Studio is running at (http://\S+)")
HTMX = {"HX-Request": "true"}


REPLY = json.dumps({
    "id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": "gpt-4o-mini",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "A reply of a few words."}}],
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
}).encode()


class SlowModel(threading.Thread):
    """A loopback OpenAI-compatible chat-completions server that answers every request after `delay`
    seconds: asyncio in its own thread, so 50 waiting requests cost 50 sleeping coroutines, not threads
    (the tests' stdlib server has a listen backlog of 5, too small for this load)."""

    def __init__(self, delay: float) -> None:
        super().__init__(daemon=True)
        self.delay, self.port, self.ready = delay, 0, threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        server = await asyncio.start_server(self._client, "127.0.0.1", 0, backlog=1024)
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        async with server:
            await server.serve_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                length = re.search(rb"(?i)content-length:\s*(\d+)", head)
                await reader.readexactly(int(length.group(1)) if length else 0)
                await asyncio.sleep(self.delay)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(REPLY), REPLY))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@dataclass
class Watched:
    """What one SSE client saw of its run."""

    run_id: int
    seqs: list[int] = field(default_factory=list)
    received: dict[int, float] = field(default_factory=dict)  # seq -> wall-clock time it arrived
    connected: float = 0.0  # when the SSE response began: events produced before it are caught up from the DB
    status: str = ""


def start_server(home: Path, database_url: str | None) -> tuple[subprocess.Popen[bytes], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    if database_url:
        env["STUDIO_DATABASE_URL"] = database_url
    log = (home / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "studio.cli", "ui", "--port", "0", "--home", str(home)],
                               stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = READY.search((home / "server.log").read_text(errors="replace"))
        if found:
            return process, found.group(1).rstrip("/")
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise SystemExit("studio ui did not start:\n" + (home / "server.log").read_text(errors="replace"))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakRss(threading.Thread):
    """Samples a process's RSS every 50 ms; `peak` is the largest seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            self.peak = max(self.peak, rss_mb(self.pid))


async def start_session(client: httpx.AsyncClient, team_id: int, index: int) -> int:
    created = await client.post("/playground/sessions", data={"team_id": str(team_id), "name": f"bench {index}"})
    return int(created.headers["location"].rsplit("/", 1)[1])


async def one_run(client: httpx.AsyncClient, conversation_id: int, task: str) -> Watched:
    """Start a run in the session and follow its SSE stream to the end."""
    started = await client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": task}, headers=HTMX)
    started.raise_for_status()
    watched = Watched(int(re.findall(r'data-run-id="(\d+)"', started.text)[0]))
    async with client.stream("GET", f"/playground/runs/{watched.run_id}/events") as response:
        watched.connected = time.time()
        seq, event = None, ""
        async for line in response.aiter_lines():
            if line.startswith("id: "):
                seq = int(line[4:])
            elif line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "end" and not watched.status:
                found = re.search(r'data-run-status="(\w+)"', line)
                watched.status = found.group(1) if found else watched.status
            elif line == "":
                if event == "event" and seq is not None:
                    watched.seqs.append(seq)
                    watched.received[seq] = time.time()
                if event == "end":
                    break
                seq, event = None, ""
    return watched


async def drive(url: str, base_url: str, runs: int, messages: int, rounds: int) -> list[tuple[list[Watched], float]]:
    """`rounds` rounds of `runs` concurrent runs, one session each; a round's runs continue the sessions of
    the round before, whose teams are already built (the first round pays for building them)."""
    limits = httpx.Limits(max_connections=runs * 2 + 10, max_keepalive_connections=runs * 2 + 10)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        team = loopback_team(base_url, turns=messages, label="Bench team")
        response = await client.post("/api/teams", json={"component": team})
        response.raise_for_status()
        team_id = response.json()["id"]
        sessions = await asyncio.gather(*(start_session(client, team_id, i) for i in range(runs)))
        results = []
        for number in range(rounds):
            began = time.perf_counter()
            watched = await asyncio.gather(*(one_run(client, s, f"Task {number}") for s in sessions))
            results.append((list(watched), time.perf_counter() - began))
        return results


def delays_ms(
    home: Path, database_url: str | None, watched: list[Watched]
) -> tuple[dict[str, list[float]], dict[int, list[float]], list[str]]:
    """Event-to-client delays by kind (live events from being produced and from being stored; events caught
    up on connecting), the produced -> client delays of live events by their seq (the task is 1, the first
    reply 2...), and every problem found: a lost, repeated or out-of-order event, or a run that did not
    complete."""
    settings = Settings(home=home, database_url=database_url)
    engine = make_engine(settings.resolved_database_url)
    delays: dict[str, list[float]] = {PRODUCED: [], STORED: [], CAUGHT_UP: []}
    by_seq: dict[int, list[float]] = {}
    problems = []
    with session(engine) as db:
        for w in watched:
            stored = store.list_events(db, w.run_id)
            expected = [e.seq for e in stored]
            if w.seqs != expected:
                problems.append(f"run {w.run_id}: SSE gave seqs {w.seqs}, the database has {expected}")
            if w.status != "complete":
                problems.append(f"run {w.run_id}: ended {w.status or 'without an end event'}")
            for event in stored:
                if event.seq in w.received:
                    arrived, stored_at = w.received[event.seq], event.created_at.timestamp()
                    produced = _produced(event.data) or stored_at
                    if produced < w.connected:
                        delays[CAUGHT_UP].append((arrived - produced) * 1000)
                    else:
                        delays[PRODUCED].append((arrived - produced) * 1000)
                        delays[STORED].append((arrived - stored_at) * 1000)
                        by_seq.setdefault(event.seq, []).append((arrived - produced) * 1000)
    engine.dispose()
    return delays, by_seq, problems


def _produced(data: dict) -> float | None:
    """When the agent made the message (its AutoGen `created_at`), None for an event without one."""
    try:
        return datetime.fromisoformat(str(data["created_at"]).replace("Z", "+00:00")).timestamp()
    except (KeyError, ValueError):
        return None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--messages", type=int, default=9, help="messages per run, the task included")
    parser.add_argument("--reply-ms", type=int, default=200, help="the loopback model's answer time")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of runs continuing the same sessions")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary home")
    parser.add_argument("--by-seq", action="store_true",
                        help="also print the p95 of each message position (where the slow events are)")
    args = parser.parse_args()

    model = SlowModel(args.reply_ms / 1000)
    model.start()
    model.ready.wait()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        process, url = start_server(home, args.database_url)
        sampler = PeakRss(process.pid)
        try:
            idle = rss_mb(process.pid)
            sampler.start()
            rounds = asyncio.run(drive(url, model.base_url, args.runs, args.messages, args.rounds))
            sampler.done.set()
            end = rss_mb(process.pid)
            checked = [(wall, *delays_ms(home, args.database_url, watched)) for watched, wall in rounds]
        except Exception:
            print((home / "server.log").read_text(errors="replace")[-4000:], file=sys.stderr)
            raise
        finally:
            process.terminate()
            process.wait(timeout=10)

    print(f"{args.runs} concurrent runs x {args.messages} messages, model answers in {args.reply_ms} ms, "
          f"database: {'SQLite' if not args.database_url else args.database_url.split('://')[0]}")
    failed = False
    for number, ((watched, _), (wall, delays, by_seq, problems)) in enumerate(zip(rounds, checked), 1):
        events = sum(len(w.seqs) for w in watched)
        kind = "builds the teams" if number == 1 else "teams already built"
        print(f"round {number} ({kind}): {sum(w.status == 'complete' for w in watched)}/{args.runs} complete "
              f"in {wall:.1f} s wall; {events} events over SSE; lost, repeated or out of order: {len(problems)}")
        for problem in problems[:10]:
            print(f"    {problem}")
        for name, values in delays.items():
            if values:
                print(f"  {name} ({len(values)}): p50 {statistics.median(values):.1f} ms, "
                      f"p95 {percentile(values, 95):.1f} ms, max {max(values):.1f} ms")
        if args.by_seq:
            print("  p95 by message, produced -> client: " + ", ".join(
                f"#{seq} {percentile(values, 95):.0f} ms" for seq, values in sorted(by_seq.items())))
        failed = failed or bool(problems)
    print(f"server RSS: {idle:.0f} MB idle, {sampler.peak:.0f} MB peak, {end:.0f} MB after the runs")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
