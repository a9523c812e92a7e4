"""The live team of each conversation, so a second task continues where the first ended.

`prepare` turns (conversation, task) into what a run needs: it validates the task and the team (raising
`RunRefused`, before anything is stored), then reuses the conversation's live team when the team component
and its injected model settings are unchanged, or loads a fresh one and says why on the run (`notice`). Only
one run per conversation at a time: `claim` / `release` bracket it, and `release` closes teams nobody keeps.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine

from studio import store
from studio.components import (
    ComponentValidationError,
    Problem,
    UnsupportedComponentError,
    cannot_run,
    load_component,
    validate_component,
)
from studio.runtime.messages import (
    BaseChatMessage,
    HandoffMessage,
    TextMessage,
    load_message,
)
from studio.runtime.teams.base import BaseGroupChat
from studio.runtime.teams.swarm import Swarm
from studio.services import conversations
from studio.services import teams as team_service
from studio.services.admission import NotTrusted, admit
from studio.services.credentials import inject_credentials
from studio.services.errors import NotFoundError
from studio.store.db import session as db_session
from studio.store.models import Run

from .attachments import Task, TaskError, build_task
from .replay import playground_inputs, replay_component

logger = logging.getLogger(__name__)

RESET_NOTICE = "Reset: this run starts a new conversation."
CHANGED_NOTICE = "The team or its model settings changed since the previous run: this run starts a new conversation."
UNLOADED_NOTICE = (
    "The team was unloaded to free memory (more sessions were in use than the server keeps): "
    "this run starts a new conversation."
)
RESTART_NOTICE = (
    "The team does not remember this session's earlier runs (the server restarted since): "
    "this run starts a new conversation."
)


class RunRefused(Exception):
    """A run that cannot start, and why: `message`, plus `problems` with JSON paths (task or team)."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.message = message
        self.problems = list(problems)
        super().__init__(message)


class ConversationNotFound(RunRefused):
    """No conversation session with that id."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """A run ready to start: the team object, the task to give it, and what its row records."""

    conversation_id: int
    team: BaseGroupChat
    task: Task
    message: BaseChatMessage | list[BaseChatMessage]
    fresh_start: bool
    notice: str = ""
    replay_of: int | None = None
    user_replies: dict[str, list[str]] | None = None  # replaying: the recorded replies per user proxy (one absent: ask)
    secrets: tuple[str, ...] = ()  # the keys and variables the team was given: masked in what the run stores


@dataclass(frozen=True, slots=True)
class _Source:
    """What the database says about a run about to start."""

    component: dict[str, Any]
    fingerprint: str
    task: Task
    earlier_runs: bool
    recording: dict[str, Any] | None
    secrets: tuple[str, ...] = ()


@dataclass(eq=False)
class _Live:
    team: BaseGroupChat
    fingerprint: str
    handoff: HandoffMessage | None = None  # the latest handoff in the conversation


class LiveTeams:
    """Live teams by session id, and which sessions have a run going.

    At most `max_live` teams stay loaded: past that, the least recently used session without a run going
    lets its team go, and its next run starts afresh and says so.
    """

    def __init__(self, engine: Engine, max_live: int = 100) -> None:
        self._engine = engine
        self._max_live = max_live
        self._live: dict[int, _Live] = {}  # least recently used first
        self._notices: dict[int, str] = {}  # why a session's next run starts afresh, when known here
        self._claimed: set[int] = set()

    def claim(self, conversation_id: int) -> None:
        if conversation_id in self._claimed:
            raise RunRefused("A run is already active in this session: stop it or wait for it to end.")
        self._claimed.add(conversation_id)

    async def release(self, conversation_id: int, team: BaseGroupChat | None) -> None:
        """The session's run is over; close `team` unless it is the session's live team."""
        self._claimed.discard(conversation_id)
        live = self._live.get(conversation_id)
        if team is not None and (live is None or live.team is not team):
            await _close(team)

    async def prepare(
        self, conversation_id: int, task: str | list[dict[str, Any]], *, replay_of: int | None = None,
        recording: dict[str, Any] | None = None,
    ) -> Prepared:
        """The run to start: the live team, a fresh one, or one replaying `recording` (or run `replay_of`'s)."""
        source = await asyncio.to_thread(self._read, conversation_id, task, replay_of)
        if recording is not None:
            source = replace(source, recording=recording)
        if source.recording is not None:
            component = replay_component(source.component, source.recording, count_words=False)
            team = _load(component)  # CPU only, well under a millisecond: a thread would only add a wait
            return Prepared(conversation_id, team, source.task, source.task.message, fresh_start=True,
                            replay_of=replay_of, user_replies=playground_inputs(source.recording),
                            secrets=source.secrets)
        live = self._live.get(conversation_id)
        if live is not None and live.fingerprint == source.fingerprint:
            self._live[conversation_id] = self._live.pop(conversation_id)  # now the most recently used
            message = _continuing(live, source.task.message)
            return Prepared(conversation_id, live.team, source.task, message, fresh_start=False, secrets=source.secrets)
        team = _load(source.component)
        notice = self._notices.pop(conversation_id, None)
        if notice is None:
            notice = CHANGED_NOTICE if live is not None else RESTART_NOTICE if source.earlier_runs else ""
        if live is not None:
            await _close(self._live.pop(conversation_id).team)
        self._live[conversation_id] = _Live(team, source.fingerprint)
        await self._unload_beyond_limit()
        return Prepared(conversation_id, team, source.task, source.task.message, fresh_start=True, notice=notice,
                        secrets=source.secrets)

    async def _unload_beyond_limit(self) -> None:
        """Close the least recently used teams past `max_live`, skipping conversations with a run going."""
        for conversation_id in list(self._live):  # oldest first; checked afresh after every await
            if len(self._live) <= self._max_live:
                return
            if conversation_id in self._live and conversation_id not in self._claimed:
                self._notices[conversation_id] = UNLOADED_NOTICE
                await _close(self._live.pop(conversation_id).team)

    def handed_off(self, conversation_id: int, team: BaseGroupChat, message: HandoffMessage) -> None:
        """A run of the session's live team yielded this handoff (a swarm may be waiting for the user)."""
        live = self._live.get(conversation_id)
        if live is not None and live.team is team:
            live.handoff = message

    def forget(self, conversation_id: int, team: BaseGroupChat, notice: str) -> None:
        """Drop the session's live team if it is `team` (its state is no longer trustworthy)."""
        live = self._live.get(conversation_id)
        if live is not None and live.team is team:
            del self._live[conversation_id]
            self._notices[conversation_id] = notice

    async def reset(self, conversation_id: int) -> None:
        """The session's next run starts a new conversation."""
        live = self._live.pop(conversation_id, None)
        self._notices[conversation_id] = RESET_NOTICE
        if live is not None and conversation_id not in self._claimed:
            await _close(live.team)

    async def aclose(self) -> None:
        lives, self._live = list(self._live.values()), {}
        for live in lives:
            await _close(live.team)

    def _read(self, conversation_id: int, task: str | list[dict[str, Any]], replay_of: int | None) -> _Source:
        """Validate the task and the team (with the stored credentials injected); raises `RunRefused`."""
        with db_session(self._engine) as db:
            try:
                conversation = conversations.get_conversation(db, conversation_id)
            except NotFoundError as error:
                raise ConversationNotFound(str(error)) from None
            try:
                team = team_service.get_team(db, conversation.team_id)
            except NotFoundError as error:
                raise RunRefused(str(error)) from None
            recording: dict[str, Any] | None = None
            if replay_of is not None:
                original = store.get_run(db, replay_of)
                if original is None or not (original.recording.get("models") or original.recording.get("user")):
                    raise RunRefused(f"Run {replay_of} has no recording to replay.")
                recording = original.recording
                built = _task(task) if _given(task) else _replayed_task(db, original)
            else:
                built = _task(task)
            earlier = store.has_runs(db, conversation_id, replays=False)
            try:  # the gate every execution path passes: nothing untrusted runs, keys only for what is admitted
                creds = admit(db, team.component, team_id=team.id)
            except NotTrusted as error:
                raise RunRefused(str(error), error.problems) from None
            component = inject_credentials(team.component, creds)
        errors = [p for p in validate_component(component, kind="team") if p.severity == "error"]
        if errors:
            raise RunRefused(cannot_run(team.label, errors), errors)
        return _Source(component, _fingerprint(component), built, earlier, recording, tuple(creds.secret_values()))


def _task(task: str | list[dict[str, Any]]) -> Task:
    try:
        return build_task(task)
    except TaskError as error:
        raise RunRefused(error.problems[0].message if len(error.problems) == 1 else "The task has problems.",
                         error.problems) from None


def _given(task: str | list[dict[str, Any]]) -> bool:
    return bool(task.strip()) if isinstance(task, str) else bool(task)


def _replayed_task(db: Any, original: Run) -> Task:
    """The original run's task message (attachments included), as new message."""
    assert original.id is not None
    first = store.list_events(db, original.id, limit=1)
    if first and first[0].source == "user" and first[0].type in ("TextMessage", "MultiModalMessage"):
        data = {k: v for k, v in first[0].data.items() if k not in ("id", "created_at")}
        message = load_message(data)
        if isinstance(message, BaseChatMessage):
            return Task(message, original.task)
    return _task(original.task)


def _fingerprint(component: dict[str, Any]) -> str:
    """Changes when the team or the credentials injected into it change (kept in memory only)."""
    return hashlib.sha256(json.dumps(component, sort_keys=True, default=str).encode()).hexdigest()


def _load(component: dict[str, Any]) -> BaseGroupChat:
    try:
        team = load_component(component, kind="team")
    except ComponentValidationError as error:
        raise RunRefused("The team is not valid: fix it in the Builder first.", error.errors) from None
    except UnsupportedComponentError as error:
        raise RunRefused(str(error), [Problem(error.path, f"{error.provider} {error.reason}")]) from None
    except ValueError as error:
        raise RunRefused(f"The team cannot be loaded: {error}") from None
    if not isinstance(team, BaseGroupChat):
        raise RunRefused("The component is not a team.")
    return team


def _continuing(live: _Live, message: BaseChatMessage) -> BaseChatMessage | list[BaseChatMessage]:
    """The task for a swarm that handed off to the user: the user's reply, handed back to the asker."""
    handoff = live.handoff
    if not isinstance(live.team, Swarm) or handoff is None or handoff.target in live.team.participant_names:
        return message
    if isinstance(message, TextMessage):
        return HandoffMessage(content=message.content, source=message.source, target=handoff.source)
    return [message, HandoffMessage(content="", source=message.source, target=handoff.source)]


async def _close(team: BaseGroupChat) -> None:
    try:
        await team.close()
    except Exception:  # closing frees connections; a failure here must not end anything else
        logger.warning("closing a team failed", exc_info=True)


__all__ = [
    "CHANGED_NOTICE", "LiveTeams", "Prepared", "RESET_NOTICE", "RESTART_NOTICE", "RunRefused", "ConversationNotFound",
    "UNLOADED_NOTICE",
]
