"""Alembic: from empty to head, from the first revision to head with data, and models == schema."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, inspect, text
from sqlmodel import Session, SQLModel, select

from studio.store import (
    Gallery,
    GalleryTemplate,
    Run,
    create_conversation,
    current_revision,
    delete_conversation,
    get_secret,
    get_setting,
    get_team,
    head_revision,
    list_conversations,
    list_events,
    list_versions,
    migrate,
    update_team,
)
from studio.store.db import _alembic_config, table_names

FIRST = "0001_initial"
TABLES = {
    "team",
    "team_version",
    "conversation",
    "run",
    "run_event",
    "gallery",
    "gallery_template",
    "setting",
    "secret",
    "builder_draft",
    "builder_draft_step",
    "credential",
}


def test_migrate_creates_every_table_from_empty(blank_engine: Engine) -> None:
    assert current_revision(blank_engine) is None
    migrate(blank_engine)
    assert current_revision(blank_engine) == head_revision() == "0009_conversation"
    assert table_names(blank_engine) >= TABLES
    migrate(blank_engine)  # a second start is a no-op
    assert current_revision(blank_engine) == head_revision()


def test_schema_at_head_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_upgrade_from_the_first_revision_keeps_data(blank_engine: Engine, writer_critic: dict) -> None:
    migrate(blank_engine, FIRST)
    assert current_revision(blank_engine) == FIRST
    meta = MetaData()
    meta.reflect(blank_engine)
    assert "layout" not in meta.tables["team"].c  # revision 2 adds it
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    t = meta.tables
    with blank_engine.begin() as conn:
        conn.execute(
            t["team"].insert(),
            {"id": 1, "label": "Old", "description": "d", "component": writer_critic,
             "created_at": now, "updated_at": now},
        )
        conn.execute(
            t["team_version"].insert(),
            {"id": 1, "team_id": 1, "number": 1, "label": "Old", "note": "",
             "component": {"v": 1}, "created_at": now},
        )
        conn.execute(
            t["chat_session"].insert(),
            {"id": 1, "team_id": 1, "name": "s", "created_at": now, "updated_at": now},
        )
        conn.execute(
            t["run"].insert(),
            {"id": 1, "session_id": 1, "task": "go", "status": "running", "stop_reason": "",
             "prompt_tokens": 3, "completion_tokens": 4, "started_at": now},
        )
        conn.execute(
            t["run_event"].insert(),
            {"id": 1, "run_id": 1, "seq": 1, "type": "TextMessage", "source": "user",
             "data": {"type": "TextMessage", "content": "go"}, "created_at": now},
        )
        conn.execute(t["setting"].insert(), {"key": "model", "value": {"name": "gpt-4o"}})
        conn.execute(t["secret"].insert(), {"name": "OPENAI_API_KEY", "value": "sk-x", "updated_at": now})

    migrate(blank_engine)

    assert current_revision(blank_engine) == head_revision()
    with Session(blank_engine) as db:
        team = get_team(db, 1)
        assert team is not None
        assert (team.label, team.component, team.layout) == ("Old", writer_critic, {})
        assert team.created_at == now
        assert [v.component for v in list_versions(db, 1)] == [{"v": 1}]
        run = db.get(Run, 1)
        assert run is not None and run.conversation_id == 1  # revision 9 renames the table and the column
        assert run.prompt_tokens is not None and (run.prompt_tokens, run.completion_tokens) == (3, 4)
        assert (run.recording, run.fresh_start, run.notice, run.replay_of) == ({}, True, "", None)  # revision 4
        assert [e.data["content"] for e in list_events(db, 1)] == ["go"]
        assert get_setting(db, "model") == {"name": "gpt-4o"}
        assert get_secret(db, "OPENAI_API_KEY") == "sk-x"
        update_team(db, team, layout={"writer": {"x": 1, "y": 2}})  # the new column works
        db.commit()
        db.expire_all()
        assert get_team(db, 1).layout == {"writer": {"x": 1, "y": 2}}


def test_revision_9_renames_chat_sessions_to_conversations_and_back(blank_engine: Engine) -> None:
    migrate(blank_engine, "0008_trust_digests")
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    with blank_engine.begin() as conn:
        conn.execute(text("INSERT INTO team (id, label, description, component, layout, revision, created_at, "
                          "updated_at) VALUES (1, 'T', '', '{}', '{}', 1, :now, :now)"), {"now": now})
        conn.execute(text("INSERT INTO chat_session (id, team_id, name, created_at, updated_at) "
                          "VALUES (7, 1, 'kept', :now, :now)"), {"now": now})
        conn.execute(text("INSERT INTO run (id, session_id, task, status, stop_reason, prompt_tokens, "
                          "completion_tokens, started_at) VALUES (3, 7, 'go', 'complete', '', 0, 0, :now)"),
                     {"now": now})
    migrate(blank_engine)
    assert {"conversation", "run"} <= table_names(blank_engine) and "chat_session" not in table_names(blank_engine)
    names = _names(blank_engine)
    assert "ix_conversation_team_id" in names["conversation"] and "ix_run_conversation_id" in names["run"]
    if blank_engine.dialect.name == "postgresql":  # constraints renamed too (SQLite keeps them in its table text)
        assert names == {
            "conversation": {"ix_conversation_team_id", "fk_conversation_team_id_team"},
            "run": {"ix_run_conversation_id", "ix_run_status", "fk_run_conversation_id_conversation"},
        }
    with Session(blank_engine) as db:
        run = db.get(Run, 3)
        assert run is not None and run.conversation_id == 7
        assert [c.name for c in list_conversations(db)] == ["kept"]
        created = create_conversation(db, team_id=1)  # new ids still come (PostgreSQL: from the renamed sequence)
        db.commit()
        assert created.id is not None and created.id != 7
        delete_conversation(db, created)  # the foreign keys follow the renamed table: its runs go with it
        db.commit()
    with blank_engine.begin() as conn:  # migrate() only upgrades
        command.downgrade(_alembic_config(conn), "0008_trust_digests")
    with blank_engine.connect() as conn:
        assert conn.execute(text("SELECT session_id FROM run WHERE id = 3")).scalar() == 7
        assert conn.execute(text("SELECT name FROM chat_session WHERE id = 7")).scalar() == "kept"


def _names(engine: Engine) -> dict[str, set[str]]:
    """The index and foreign-key names of the conversation and run tables."""
    found = inspect(engine)
    return {table: {i["name"] for i in found.get_indexes(table)} | {f["name"] for f in found.get_foreign_keys(table)}
            for table in ("conversation", "run")}


def test_upgrade_to_revision_5_marks_the_seeded_gallery_built_in_and_trusted(blank_engine: Engine) -> None:
    migrate(blank_engine, "0004_run_recording")
    meta = MetaData()
    meta.reflect(blank_engine)
    t = meta.tables
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    with blank_engine.begin() as conn:
        for gallery_id, name in ((1, "Built-in"), (2, "Other")):
            conn.execute(t["gallery"].insert(), {"id": gallery_id, "name": name, "description": "",
                                                 "source": "", "created_at": now})
            conn.execute(t["gallery_template"].insert(), {"id": gallery_id, "gallery_id": gallery_id, "key": "k",
                                                          "label": "K", "description": "", "tags": ["a"],
                                                          "component": {"provider": "p"}})
    migrate(blank_engine)
    with Session(blank_engine) as db:
        galleries = {g.name: g for g in db.exec(select(Gallery))}
        assert {name: (g.kind, g.url, g.meta) for name, g in galleries.items()} == {
            "Built-in": ("built-in", "", {}), "Other": ("imported", "", {})}
        items = {i.gallery_id: i for i in db.exec(select(GalleryTemplate))}
        assert {i.gallery_id: (i.trusted, i.component_type, i.unsupported, i.demo) for i in items.values()} == {
            1: (True, "team", "", None), 2: (False, "team", "", None)}


def _old_keys(engine: Engine, settings: dict, secrets: dict) -> None:
    """Rows as revision 5 kept them: unbound keys (secrets) and the base URL / Azure endpoint (settings)."""
    migrate(engine, "0005_gallery_items")
    meta = MetaData()
    meta.reflect(engine)
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    with engine.begin() as conn:
        for key, value in settings.items():
            conn.execute(meta.tables["setting"].insert(), {"key": key, "value": value})
        for name, value in secrets.items():
            conn.execute(meta.tables["secret"].insert(), {"name": name, "value": value, "updated_at": now})
    migrate(engine)


def test_upgrade_to_revision_6_binds_saved_keys_to_the_endpoint_they_were_used_for(blank_engine: Engine) -> None:
    from studio.services.credentials import inject_credentials, load_credentials
    from studio.store.crypto import new_key, prepare_secrets
    from studio.store.models import StoredCredential

    _old_keys(blank_engine, {"credentials.openai_base_url": "HTTP://LocalHost:11434/v1/",
                             "credentials.azure_endpoint": "https://res.openai.azure.com/",
                             "credentials.azure_api_version": "2024-10-21",
                             "credentials.default_model": "llama3.2"},
              {"openai_api_key": "sk-old-openai-key-1234", "azure_api_key": "azure-old-key-5678",
               "SERPAPI_KEY": "serp-old-0000"})
    with Session(blank_engine) as db:
        rows = {(r.kind, r.endpoint): r.value for r in db.exec(select(StoredCredential))}
        assert rows == {("openai_compatible", "http://localhost:11434/v1"): "sk-old-openai-key-1234",
                        ("azure", "https://res.openai.azure.com"): "azure-old-key-5678"}
        assert get_setting(db, "credentials.openai_base_url") is None  # the endpoint replaces it
        assert get_setting(db, "credentials.default_model") == "llama3.2"
        assert get_secret(db, "openai_api_key") is None and get_secret(db, "SERPAPI_KEY") == "serp-old-0000"

    # The next start encrypts them; they stay usable, each for its own endpoint only.
    from studio.settings import Settings

    settings = Settings(home=Path("/nonexistent"), encryption_key=new_key())
    prepare_secrets(blank_engine, settings)
    with blank_engine.connect() as conn:
        raw = [row.value for row in conn.execute(StoredCredential.__table__.select())]
        assert raw and all(v.startswith("fernet:") for v in raw)
        assert not any("sk-old-openai-key-1234" in v or "azure-old-key" in v for v in raw)
    with Session(blank_engine) as db:
        creds = load_credentials(db, environ={})
    team = {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient",
            "config": {"model": "llama3.2", "base_url": "http://localhost:11434/v1"}}
    assert inject_credentials(team, creds)["config"]["api_key"] == "sk-old-openai-key-1234"
    team["config"]["base_url"] = "https://api.openai.com/v1"
    assert "api_key" not in inject_credentials(team, creds)["config"]
    assert [v.name for v in creds.variables] == ["SERPAPI_KEY"]


def test_upgrade_to_revision_6_binds_a_key_without_base_url_to_openai_and_keeps_an_azure_key_unbound(
        blank_engine: Engine) -> None:
    from studio.store import list_credentials

    _old_keys(blank_engine, {}, {"openai_api_key": "sk-old-1", "azure_api_key": "azure-old-2"})
    with Session(blank_engine) as db:
        kept = {(row.kind, row.endpoint): value for row, value in list_credentials(db)}
    assert kept == {("openai", "https://api.openai.com/v1"): "sk-old-1", ("azure", ""): "azure-old-2"}


def test_upgrade_to_revision_8_carries_tool_trust_over_to_digests_that_cover_imports(blank_engine: Engine) -> None:
    import hashlib

    from studio.services import trust

    def tool(source: str, imports: list) -> dict:
        return {"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
                "config": {"source_code": source, "name": "f", "description": "", "global_imports": imports}}

    def old_hash(source: str) -> str:
        return hashlib.sha256(source.strip().encode()).hexdigest()

    imported, trusted, mine = tool("def f(): return 1", ["os"]), tool("def f(): return 2", []), tool("def f(): 3", [])
    executor = {"provider": "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
                "component_type": "code_executor", "config": {"timeout": 60}}
    migrate(blank_engine, "0007_team_revision")
    meta = MetaData()
    meta.reflect(blank_engine)
    t = meta.tables
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    with blank_engine.begin() as conn:
        conn.execute(t["team"].insert(), {"id": 1, "label": "T", "description": "", "layout": {}, "revision": 1,
                                          "created_at": now, "updated_at": now,
                                          "component": {"tools": [imported, trusted, mine]}})
        conn.execute(t["gallery"].insert(), {"id": 1, "name": "Elsewhere", "description": "", "source": "",
                                             "created_at": now, "kind": "imported", "url": "", "meta": {}})
        conn.execute(t["gallery_template"].insert(), {"id": 1, "gallery_id": 1, "key": "k", "label": "K",
                                                      "description": "", "tags": [], "component": executor,
                                                      "component_type": "code_executor", "trusted": False})
        conn.execute(t["setting"].insert(), {"key": "tools.imported", "value": [old_hash("def f(): return 1"),
                                                                                 old_hash("def f(): return 2")]})
        conn.execute(t["setting"].insert(), {"key": "tools.trusted", "value": [old_hash("def f(): return 2")]})
    migrate(blank_engine)
    with Session(blank_engine) as db:
        assert [e.runs.get("source_code") for e in trust.blocked(db, get_team(db, 1).component)] == [
            "def f(): return 1"]
        assert [e.kind for e in trust.blocked(db, executor)] == ["code executor"]


def test_downgrade_to_base_removes_the_tables(engine: Engine) -> None:
    from alembic import command

    from studio.store.db import _alembic_config

    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "base")
    assert not TABLES & table_names(engine)

