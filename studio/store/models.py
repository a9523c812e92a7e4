"""SQLModel tables and their public shapes (`TeamBase` → `Team(table=True)`, `TeamPublic`, ...).

Schema changes need a migration in `migrations/versions/`; a test checks the two agree.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlmodel import Field, SQLModel

from .types import JSONDocument, JSONValue, UTCDateTime, utcnow

# Predictable constraint names, so migrations (and SQLite batch mode) can refer to them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class RunStatus(StrEnum):
    """Where a run is: `running` until it ends as one of the other four."""

    RUNNING = "running"
    COMPLETE = "complete"
    ERROR = "error"
    STOPPED = "stopped"
    INTERRUPTED = "interrupted"


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


def _updated() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, sa_column_kwargs={"onupdate": utcnow})


def _parent(table: str) -> Any:
    return Field(foreign_key=f"{table}.id", ondelete="CASCADE", index=True)


# --- teams -----------------------------------------------------------------------------------


class TeamBase(SQLModel):
    label: str = Field(description="Name shown in the studio.")
    description: str = Field(default="", sa_type=Text)
    component: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSONDocument, description="The team in AutoGen's component JSON."
    )


class Team(TeamBase, table=True):
    """A team: its current component, plus the builder's node positions kept beside it."""

    __tablename__ = "team"

    id: int | None = Field(default=None, primary_key=True)
    layout: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSONValue, sa_column_kwargs={"server_default": "{}"}
    )
    revision: int = Field(default=1, sa_column_kwargs={"server_default": "1"},
                          description="Counts every write of the team: a save based on an older one is refused.")
    created_at: datetime = _created()
    updated_at: datetime = _updated()


class TeamPublic(TeamBase):
    id: int
    layout: dict[str, Any]
    revision: int = Field(description="Send it back (`revision`, or `If-Match`) to change the team: a 409 "
                          "answers a change based on an older revision.")
    created_at: datetime
    updated_at: datetime


class TeamVersionBase(SQLModel):
    number: int = Field(description="1, 2, 3... within the team.")
    label: str = Field(description="The team's label when this version was kept.")
    note: str = Field(default="", sa_type=Text)
    component: dict[str, Any] = Field(sa_type=JSONDocument)


class TeamVersion(TeamVersionBase, table=True):
    """A previous component of a team, kept when it was replaced."""

    __tablename__ = "team_version"
    __table_args__ = (UniqueConstraint("team_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE")
    created_at: datetime = _created()


class TeamVersionPublic(TeamVersionBase):
    id: int
    team_id: int
    created_at: datetime


# --- conversations, runs and their events -----------------------------------------------------


class ConversationBase(SQLModel):
    name: str = ""


class Conversation(ConversationBase, table=True):
    """A conversation with one team: the runs that continue it."""

    __tablename__ = "conversation"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = _parent("team")
    created_at: datetime = _created()
    updated_at: datetime = _updated()


class RunBase(SQLModel):
    task: str = Field(default="", sa_type=Text)
    status: str = Field(default=RunStatus.RUNNING, sa_type=String(16), index=True)
    stop_reason: str = Field(default="", sa_type=Text)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    error: str | None = Field(default=None, sa_type=Text)


class Run(RunBase, table=True):
    """One `run_stream` of a team within a conversation.

    `fresh_start`: the team began a new conversation (no earlier state); `notice` says why when the
    conversation had earlier runs (a reset, a changed team, a server restart). `recording` holds the model
    and user replies the run received (`studio.playground.recording`), written when it ends.
    """

    __tablename__ = "run"
    __table_args__ = (
        CheckConstraint(
            "status IN ('running', 'complete', 'error', 'stopped', 'interrupted')", name="status"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = _parent("conversation")
    started_at: datetime = _created()
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # No foreign key: adding one makes SQLite copy the table; a replayed run may since be deleted.
    replay_of: int | None = Field(default=None, description="The run this one replayed.")
    fresh_start: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})
    notice: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    recording: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSONValue, sa_column_kwargs={"server_default": "{}"}, repr=False
    )


class RunPublic(RunBase):
    id: int
    conversation_id: int
    started_at: datetime
    finished_at: datetime | None
    replay_of: int | None = None
    fresh_start: bool = True
    notice: str = ""


class RunEventBase(SQLModel):
    seq: int = Field(description="1, 2, 3... within the run, in the order the events happened.")
    type: str = Field(description="AutoGen's type name, e.g. `TextMessage`.")
    source: str = ""
    data: dict[str, Any] = Field(sa_type=JSONDocument, description="The event's AutoGen dump.")


class RunEvent(RunEventBase, table=True):
    """A message or event a run yielded, as AutoGen's JSON."""

    __tablename__ = "run_event"
    __table_args__ = (Index("ix_run_event_run_id_seq", "run_id", "seq", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", ondelete="CASCADE")
    created_at: datetime = _created()


# --- galleries --------------------------------------------------------------------------------


class GalleryKind(StrEnum):
    """Where a gallery came from: shipped with Studio, imported from a file or URL, or the user's own."""

    BUILT_IN = "built-in"
    IMPORTED = "imported"
    USER = "user"


class GalleryBase(SQLModel):
    name: str = Field(unique=True)
    description: str = Field(default="", sa_type=Text)
    source: str = Field(default="", description="Where the templates came from: a path or a URL.")
    url: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""},
                     description="The gallery file's own `url` (AutoGen Studio's format), \"\" when none.")
    meta: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSONValue, sa_column_kwargs={"server_default": "{}"},
        description="AutoGen Studio's `metadata`: author, version, description, tags, license, homepage, category.",
    )
    kind: str = Field(default=GalleryKind.IMPORTED, sa_type=String(16),
                      sa_column_kwargs={"server_default": GalleryKind.IMPORTED.value})


class Gallery(GalleryBase, table=True):
    __tablename__ = "gallery"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _created()


class GalleryTemplateBase(SQLModel):
    key: str = Field(description="Stable id within the gallery, e.g. the file's stem.")
    label: str
    description: str = Field(default="", sa_type=Text)
    tags: list[str] = Field(default_factory=list, sa_type=JSONValue)
    component: dict[str, Any] = Field(sa_type=JSONDocument)
    component_type: str = Field(default="team", sa_type=String(16), sa_column_kwargs={"server_default": "team"},
                                description="team, agent, model, tool, termination or workbench.")
    unsupported: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""},
                             description="Why the engine cannot run it (with the JSON path); \"\" if it can.")
    trusted: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()},
                          description="Its tool code was accepted by the user (built-in items are trusted).")
    demo: dict[str, Any] | None = Field(default=None, sa_type=JSONDocument, repr=False,
                                        description="The demo recording (scripted replies), or None.")


class GalleryTemplate(GalleryTemplateBase, table=True):
    """An item of a gallery: a team template or a single component."""

    __tablename__ = "gallery_template"
    __table_args__ = (UniqueConstraint("gallery_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    gallery_id: int = Field(foreign_key="gallery.id", ondelete="CASCADE")


# --- builder drafts ---------------------------------------------------------------------------


class BuilderDraft(SQLModel, table=True):
    """The builder's editing history of one team, kept on the server so undo survives a reload.

    The snapshots are `BuilderDraftStep` rows numbered `first_position..last_position`; `position` is
    the current one and `saved_position` the one last saved (-1: none in the history);
    `team_updated_at` is the team's `updated_at` when the draft last matched it, so a change made
    elsewhere (an import, a restored version) is noticed when the builder opens; `team_revision` is the
    team's revision then, the base a save must still match. One row per
    snapshot keeps an edit's cost flat however long the history (a single JSON list would be rewritten
    whole on every edit: about 200 ms for 200 snapshots of a 30-agent team).
    """

    __tablename__ = "builder_draft"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", unique=True)
    position: int = 0
    first_position: int = 0
    last_position: int = 0
    saved_position: int = 0
    team_updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    team_revision: int | None = None
    updated_at: datetime = _updated()


class BuilderDraftStep(SQLModel, table=True):
    """One snapshot `{component, layout}` of a builder draft's history."""

    __tablename__ = "builder_draft_step"
    __table_args__ = (UniqueConstraint("draft_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="builder_draft.id", ondelete="CASCADE")
    position: int
    snapshot: dict[str, Any] = Field(sa_type=JSONDocument)


# --- preferences ------------------------------------------------------------------------------


class Setting(SQLModel, table=True):
    """A user preference: any JSON value under a key."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: Any = Field(default=None, sa_type=JSONValue)


class Secret(SQLModel, table=True):
    """A named secret (a variable for tools), encrypted (`studio.store.crypto`); never in a repr."""

    __tablename__ = "secret"

    name: str = Field(primary_key=True)
    value: str = Field(sa_type=Text, repr=False)
    updated_at: datetime = _updated()


class StoredCredential(SQLModel, table=True):
    """A model key and the endpoint it is for (`studio.runtime.models.endpoints`); `value` is encrypted."""

    __tablename__ = "credential"
    __table_args__ = (UniqueConstraint("kind", "endpoint"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=String(32))
    endpoint: str = Field(sa_type=Text)
    value: str = Field(sa_type=Text, repr=False)
    created_at: datetime = _created()
    updated_at: datetime = _updated()


__all__ = [
    "BuilderDraft",
    "BuilderDraftStep",
    "Conversation",
    "Gallery",
    "GalleryKind",
    "GalleryTemplate",
    "Run",
    "RunEvent",
    "RunPublic",
    "RunStatus",
    "Secret",
    "Setting",
    "StoredCredential",
    "Team",
    "TeamPublic",
    "TeamVersion",
    "TeamVersionPublic",
]
