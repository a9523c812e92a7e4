"""The playground's run engine: start, follow, stop and answer runs of a chat session's team.

Design:
- A run is an asyncio task owned by the `RunManager` (one per app), not by any HTTP request: closing the
  page does not stop it. `start` validates first (empty task, invalid team: `RunRefused`, no run row),
  then creates the `Run` row and the task.
- Database first, then publish: each message/event of `run_stream` is stored with the next `seq` (by the
  `RunWriter`, on its own thread, so the event loop never waits on the database; the writes of runs
  arriving together, their rows and endings too, share one short transaction), and only then handed to
  the live followers. Streamed chunks (`ModelClientStreamingChunkEvent`) are never stored: followers see
  them live as `Update(kind="chunk")` and they settle into the final message.
- `follow(run_id, after_seq)` subscribes before it reads the database, then yields the stored events
  after `after_seq`, then the live ones, skipping any seq it already yielded, and ends with one
  `Update(kind="end")`. Every event therefore arrives exactly once and in order, whether the follower
  joins before, during or after the run, or comes back after a dropped connection with its last seq.
- A conversation's team object lives on in memory between runs, so a second task carries it on.
  After `reset`, a changed team (or changed model settings) or a server restart the next run starts a new
  conversation, and says so on its row (`fresh_start`, `notice`): state is never faked.
- `stop` cancels the run's `CancellationToken` (the current model call is cancelled with it); if the run
  has not ended two seconds later its task is cancelled. Either way it ends `stopped`, its events kept.
- Endings: `complete`; `stopped` (by the user, or no reply within `input_timeout_seconds`: a person not
  answering is not a failure of the team); `error` (a model or agent error, which the runtime reports as an
  `ErrorEvent` and an "Error: ..." stop reason, or anything unexpected: logged here, a plain message on the
  run); `interrupted` (the server shut down during the run). The run's recording is stored at the end.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from studio import store
from studio.runtime.cancellation import CancellationToken
from studio.runtime.messages import (
    ErrorEvent,
    HandoffMessage,
    ModelClientStreamingChunkEvent,
    TaskResult,
    UserInputRequestedEvent,
)
from studio.runtime.teams.base import CANCELLED_REASON
from studio.services.credentials import redact
from studio.settings import Settings
from studio.store.db import session as db_session
from studio.store.models import RunEvent, RunPublic, RunStatus

from .broker import Broker, Update
from .human_input import HumanInput, Question, user_proxies
from .live_teams import ConversationNotFound, LiveTeams, Prepared, RunRefused
from .recording import Recorder
from .replay import scripted_input
from .run_writer import RunWriter

logger = logging.getLogger(__name__)

FORCE_CANCEL_AFTER_SECONDS = 2.0
STOPPED_REASON = "Stopped by the user."
UNEXPECTED_ERROR = "The run failed unexpectedly ({kind}): {message}"


class RunNotFound(LookupError):
    """No run with that id."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a run ended, as stored on its row."""

    status: RunStatus
    stop_reason: str
    error: str | None = None


@dataclass(eq=False)
class _ActiveRun:
    run_id: int
    conversation_id: int
    human: HumanInput
    token: CancellationToken = field(default_factory=CancellationToken)
    task: asyncio.Task[None] | None = None
    seq: int = 0
    last_error: str | None = None
    stop_requested: bool = False
    closing: bool = False
    finishing: bool = False


class RunManager:
    """Every active run of the app, the live teams of its conversations, and the followers of both."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
        self._broker = Broker()
        self._active: dict[int, _ActiveRun] = {}
        self._live_teams = LiveTeams(engine, max_live=settings.live_conversations)
        self._writer = RunWriter(engine, on_stored=lambda row: self._broker.publish(row.run_id, _event_update(row)))

    # -- starting -------------------------------------------------------------------------------------

    async def start(
        self, conversation_id: int, task: str | list[dict[str, Any]], *, replay_of: int | None = None,
        recording: dict[str, Any] | None = None,
    ) -> int:
        """Start the session's team on `task` (or replay run `replay_of`, or play `recording`: a gallery
        demo's scripted model and user replies); returns the new run's id.

        Raises `RunRefused` (nothing stored) for an unknown session, an empty or invalid task, an invalid
        team, a replay of a run with no recording, or while another run of the session is active.
        """
        self._live_teams.claim(conversation_id)
        prepared: Prepared | None = None
        try:
            prepared = await self._live_teams.prepare(conversation_id, task, replay_of=replay_of, recording=recording)
            run_id = await self._writer.write(partial(_create_row, prepared))
        except BaseException:
            await self._live_teams.release(conversation_id, prepared.team if prepared else None)
            raise
        active = _ActiveRun(run_id, conversation_id, HumanInput(self._settings.input_timeout_seconds))
        self._equip(prepared, active)
        recorder = Recorder()
        recorder.wrap(prepared.team)
        self._active[run_id] = active
        active.task = asyncio.create_task(self._drive(active, prepared, recorder), name=f"run-{run_id}")
        return run_id

    def _equip(self, prepared: Prepared, active: _ActiveRun) -> None:
        """Give each user proxy its input: the recording's replies when replaying one that has them for it,
        else the person (through `reply`).

        Set afresh every run, before the recorder wraps them, so wrappers never pile up on a live team.
        """
        for key, agent in user_proxies(prepared.team):
            if prepared.user_replies is not None and key in prepared.user_replies:
                agent.input_func = scripted_input(prepared.user_replies[key])
            else:
                agent.input_func = active.human.input_func(agent.name)

    # -- running --------------------------------------------------------------------------------------

    async def _drive(self, active: _ActiveRun, prepared: Prepared, recorder: Recorder) -> None:
        """The run's background task: stream the team, store then publish, record how it ended."""
        result: TaskResult | None = None
        failure: Outcome | None = None
        try:
            stream = prepared.team.run_stream(task=prepared.message, cancellation_token=active.token)
            async with aclosing(stream):
                async for item in stream:
                    if isinstance(item, TaskResult):
                        result = item
                    elif isinstance(item, ModelClientStreamingChunkEvent):
                        self._broker.publish(active.run_id, Update("chunk", data=redact(item.dump(), prepared.secrets)))
                    else:
                        await self._record(active, prepared, item)
        except asyncio.CancelledError:  # stop did not land in time, or the server is closing
            self._live_teams.forget(active.conversation_id, prepared.team, "The previous run was cancelled mid-turn.")
            failure = self._cancelled_outcome(active)
        except Exception as error:  # never let a run take the server down; keep the details in the log
            logger.exception("run %s failed unexpectedly", active.run_id)
            self._live_teams.forget(active.conversation_id, prepared.team, "The previous run failed unexpectedly.")
            message = UNEXPECTED_ERROR.format(kind=type(error).__name__, message=str(error) or "no details")
            failure = Outcome(RunStatus.ERROR, f"Error: {message}", message)
        active.finishing = True
        outcome = failure or self._outcome(active, result)
        outcome = Outcome(outcome.status, redact(outcome.stop_reason, prepared.secrets),
                          redact(outcome.error, prepared.secrets))
        try:
            await self._finish(active, outcome, redact(recorder.data(), prepared.secrets))
        finally:
            await self._live_teams.release(active.conversation_id, prepared.team)

    async def _record(self, active: _ActiveRun, prepared: Prepared, item: Any) -> None:
        """Store one message or event (the writer publishes it once stored), then the question it asks."""
        data = redact(item.dump(), prepared.secrets)  # a server or a tool may echo a key: never stored
        active.seq += 1
        row = await self._writer.event(active.run_id, active.seq, data)
        if isinstance(item, ErrorEvent):
            active.last_error = redact(item.content, prepared.secrets)
        elif isinstance(item, HandoffMessage):
            self._live_teams.handed_off(active.conversation_id, prepared.team, item)
        elif isinstance(item, UserInputRequestedEvent):
            active.human.asked(item.source, row.seq)
            question = active.human.question
            if question is not None:
                self._broker.publish(active.run_id, Update("question", seq=row.seq, data=question.dump()))

    def _outcome(self, active: _ActiveRun, result: TaskResult | None) -> Outcome:
        reason = (result.stop_reason if result else None) or ""
        if active.human.timed_out:
            return Outcome(RunStatus.STOPPED, active.human.timeout_reason)
        if reason == CANCELLED_REASON or result is None:
            return self._cancelled_outcome(active)
        if reason.startswith("Error:"):
            return Outcome(RunStatus.ERROR, reason, active.last_error or reason.removeprefix("Error:").strip())
        return Outcome(RunStatus.COMPLETE, reason)

    def _cancelled_outcome(self, active: _ActiveRun) -> Outcome:
        if active.human.timed_out:
            return Outcome(RunStatus.STOPPED, active.human.timeout_reason)
        if active.closing:
            return Outcome(RunStatus.INTERRUPTED, store.INTERRUPTED_REASON)
        if active.stop_requested:
            return Outcome(RunStatus.STOPPED, STOPPED_REASON)
        return Outcome(RunStatus.ERROR, "Error: the run ended without a result.", "The run ended without a result.")

    async def _finish(self, active: _ActiveRun, outcome: Outcome, recording: dict[str, Any]) -> None:
        """Store the ending, tell the followers, and let the run go (even if the database fails here)."""
        run: RunPublic | None = None
        try:
            run = await self._writer.write(partial(_write_finish, active.run_id, outcome, recording))
        except Exception:
            logger.exception("run %s: could not store how it ended (%s)", active.run_id, outcome.status)
        finally:
            self._active.pop(active.run_id, None)
            self._broker.publish(active.run_id, Update("end", data={"status": str(outcome.status)}, run=run))

    # -- controlling ----------------------------------------------------------------------------------

    def is_active(self, run_id: int) -> bool:
        return run_id in self._active

    async def stop(self, run_id: int) -> bool:
        """Ask the run to stop now; False when it is not active. It ends `stopped` with its events kept."""
        active = self._active.get(run_id)
        if active is None or active.stop_requested:
            return False
        active.stop_requested = True
        active.token.cancel()
        asyncio.get_running_loop().call_later(FORCE_CANCEL_AFTER_SECONDS, self._force_cancel, active)
        return True

    def _force_cancel(self, active: _ActiveRun) -> None:
        if active.task is not None and not active.task.done() and not active.finishing:
            logger.warning("run %s did not stop within %ss: cancelling its task", active.run_id, FORCE_CANCEL_AFTER_SECONDS)
            active.task.cancel()

    def pending_question(self, run_id: int) -> Question | None:
        active = self._active.get(run_id)
        return active.human.question if active else None

    async def reply(self, run_id: int, text: str) -> bool:
        """Answer the run's open question; False when it has none."""
        active = self._active.get(run_id)
        return active.human.reply(text) if active else False

    async def reset(self, conversation_id: int) -> None:
        """The session's next task starts a new conversation (an active run finishes as it is)."""
        await self._live_teams.reset(conversation_id)

    async def aclose(self) -> None:
        """Shut down: cancel the active runs (they end `interrupted`), wait for them, close the live teams."""
        actives = list(self._active.values())
        for active in actives:
            active.closing = True
            active.token.cancel()
        tasks = [a.task for a in actives if a.task is not None]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=FORCE_CANCEL_AFTER_SECONDS)
            for task in pending:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        self._writer.close()
        await self._live_teams.aclose()

    # -- following ------------------------------------------------------------------------------------

    async def follow(self, run_id: int, after_seq: int = 0, *, heartbeat: float | None = None) -> AsyncGenerator[Update, None]:
        """The run's stored events after `after_seq`, then its live ones, each once and in order, with each
        question once, then its end; a `keepalive` after every `heartbeat` seconds without an update (a run awaiting a reply).
        Raises `RunNotFound` for an unknown run. Close it (`aclosing`) when the client goes away."""
        active = self._active.get(run_id)
        subscription = self._broker.subscribe(run_id) if active else None
        try:
            if subscription is None and await asyncio.to_thread(self._read_run, run_id) is None:
                raise RunNotFound(f"No run with id {run_id}.")
            last = after_seq
            for row in await asyncio.to_thread(self._read_events, run_id, last):
                last = row.seq
                yield _event_update(row)
            if subscription is None:
                yield Update("end", run=await asyncio.to_thread(self._read_run, run_id))
                return
            asked = 0  # the seq of the question last yielded: the broker may hold the one pending_question gave
            question = self.pending_question(run_id)
            if question is not None:
                asked = question.asked_seq
                yield Update("question", seq=asked, data=question.dump())
            while True:
                try:
                    async with asyncio.timeout(heartbeat):  # cancels only the wait, never this generator
                        update = await subscription.get()
                except TimeoutError:
                    yield Update("keepalive")
                    continue
                if update.kind == "event" and update.seq is not None and update.seq <= last:
                    continue  # read from the database already
                if update.kind == "event" and update.seq == last + 1:
                    last = update.seq
                    yield update
                    continue
                if update.kind in ("event", "resync", "end"):  # a gap, a resync or the end: catch up first
                    for row in await asyncio.to_thread(self._read_events, run_id, last):
                        last = row.seq
                        yield _event_update(row)
                if update.kind == "question" and update.seq is not None:
                    if update.seq > asked:  # each question once, else a second reply form replaces a typed answer
                        asked = update.seq
                        yield update
                elif update.kind == "chunk":
                    yield update
                elif update.kind == "end":
                    yield update
                    return
        finally:
            if subscription is not None:
                self._broker.unsubscribe(run_id, subscription)

    def _read_events(self, run_id: int, after_seq: int) -> list[RunEvent]:
        with db_session(self._engine) as db:
            return store.list_events(db, run_id, after_seq=after_seq)

    def _read_run(self, run_id: int) -> RunPublic | None:
        with db_session(self._engine) as db:
            run = store.get_run(db, run_id)
            return RunPublic.model_validate(run) if run is not None else None


def _create_row(prepared: Prepared, db: Session) -> int:
    run = store.create_run(
        db, conversation_id=prepared.conversation_id, task=prepared.task.summary, replay_of=prepared.replay_of,
        fresh_start=prepared.fresh_start, notice=prepared.notice,
    )
    assert run.id is not None
    return run.id


def _write_finish(run_id: int, outcome: Outcome, recording: dict[str, Any], db: Session) -> RunPublic:
    run = store.get_run(db, run_id)
    if run is None:  # its session was deleted during the run
        raise RunNotFound(f"run {run_id} no longer exists")
    store.finish_run(
        db, run, status=outcome.status, stop_reason=outcome.stop_reason, error=outcome.error, recording=recording,
    )
    return RunPublic.model_validate(run)


def _event_update(row: RunEvent) -> Update:
    return Update("event", seq=row.seq, event=row, data=row.data)


__all__ = ["Outcome", "Question", "RunManager", "RunNotFound", "RunRefused", "ConversationNotFound", "Update"]
