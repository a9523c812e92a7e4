"""Studio's storage: SQLModel tables, a thin data-access layer and Alembic migrations.

    from studio.store import make_engine, migrate, session, create_team
    engine = make_engine(get_settings().resolved_database_url)
    migrate(engine)
    with session(engine) as db:
        team = create_team(db, component=component, label="Writer and critic")

Data-access functions take the `sqlmodel.Session` first and keyword arguments after; they flush
but never commit. Nothing here imports the web layer.
"""

from . import drafts, text_check
from .db import (
    current_revision,
    head_revision,
    make_engine,
    migrate,
    normalise_url,
    session,
)
from .galleries import (
    add_template,
    delete_gallery,
    delete_template,
    get_gallery,
    get_gallery_by_id,
    get_template,
    list_galleries,
    list_templates,
    upsert_gallery,
)
from .models import (
    BuilderDraft,
    BuilderDraftStep,
    Conversation,
    Gallery,
    GalleryKind,
    GalleryTemplate,
    Run,
    RunEvent,
    RunPublic,
    RunStatus,
    Secret,
    Setting,
    StoredCredential,
    Team,
    TeamPublic,
    TeamVersion,
    TeamVersionPublic,
)
from .preferences import (
    delete_credential,
    delete_secret,
    delete_setting,
    get_secret,
    get_setting,
    list_credentials,
    list_secret_names,
    reseal_all,
    save_credential,
    seal_plaintext,
    set_secret,
    set_setting,
)
from .runs import (
    INTERRUPTED_REASON,
    add_event,
    add_events,
    create_conversation,
    create_run,
    delete_conversation,
    finish_run,
    get_conversation,
    get_run,
    has_runs,
    last_run,
    last_seq,
    list_conversations,
    list_events,
    list_runs,
    mark_interrupted_runs,
    rename_conversation,
)
from .teams import (
    RevisionConflict,
    create_team,
    delete_team,
    duplicate_team,
    get_team,
    get_version,
    list_teams,
    list_versions,
    restore_version,
    update_team,
)
from .text_check import UnstorableTextError

__all__ = [
    # engine, schema, sessions
    "current_revision",
    "head_revision",
    "make_engine",
    "migrate",
    "normalise_url",
    "session",
    # tables and their public shapes
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
    # modules
    "drafts",
    "text_check",
    "UnstorableTextError",
    # teams
    "RevisionConflict",
    "create_team",
    "delete_team",
    "duplicate_team",
    "get_team",
    "get_version",
    "list_teams",
    "list_versions",
    "restore_version",
    "update_team",
    # sessions, runs, events
    "INTERRUPTED_REASON",
    "add_event",
    "add_events",
    "create_run",
    "create_conversation",
    "delete_conversation",
    "finish_run",
    "get_conversation",
    "get_run",
    "has_runs",
    "last_run",
    "last_seq",
    "list_events",
    "list_runs",
    "list_conversations",
    "mark_interrupted_runs",
    "rename_conversation",
    # galleries
    "add_template",
    "delete_gallery",
    "delete_template",
    "get_gallery",
    "get_gallery_by_id",
    "get_template",
    "list_galleries",
    "list_templates",
    "upsert_gallery",
    # preferences and secrets
    "delete_credential",
    "delete_secret",
    "delete_setting",
    "get_secret",
    "get_setting",
    "list_credentials",
    "list_secret_names",
    "reseal_all",
    "save_credential",
    "seal_plaintext",
    "set_secret",
    "set_setting",
]
