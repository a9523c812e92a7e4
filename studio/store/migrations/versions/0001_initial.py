"""The first schema: teams and their versions, sessions, runs and events, galleries, preferences.

Revision ID: 0001_initial
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON()  # keeps key order on PostgreSQL
JSON_VALUE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _timestamp(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "team",
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("component", JSON_DOCUMENT, nullable=False),
        _id(),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_team"),
    )
    op.create_table(
        "team_version",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("component", JSON_DOCUMENT, nullable=False),
        _id(),
        sa.Column("team_id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_team_version"),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], ondelete="CASCADE", name="fk_team_version_team_id_team"
        ),
        sa.UniqueConstraint("team_id", "number", name="uq_team_version_team_id_number"),
    )
    op.create_table(
        "chat_session",
        sa.Column("name", sa.String(), nullable=False),
        _id(),
        sa.Column("team_id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_chat_session"),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], ondelete="CASCADE", name="fk_chat_session_team_id_team"
        ),
    )
    op.create_index("ix_chat_session_team_id", "chat_session", ["team_id"])
    op.create_table(
        "run",
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stop_reason", sa.Text(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        _id(),
        sa.Column("session_id", sa.Integer(), nullable=False),
        _timestamp("started_at"),
        _timestamp("finished_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_run"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["chat_session.id"],
            ondelete="CASCADE",
            name="fk_run_session_id_chat_session",
        ),
        sa.CheckConstraint(
            "status IN ('running', 'complete', 'error', 'stopped', 'interrupted')",
            name="ck_run_status",
        ),
    )
    op.create_index("ix_run_session_id", "run", ["session_id"])
    op.create_index("ix_run_status", "run", ["status"])
    op.create_table(
        "run_event",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("data", JSON_DOCUMENT, nullable=False),
        _id(),
        sa.Column("run_id", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_run_event"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["run.id"], ondelete="CASCADE", name="fk_run_event_run_id_run"
        ),
    )
    op.create_index("ix_run_event_run_id_seq", "run_event", ["run_id", "seq"], unique=True)
    op.create_table(
        "gallery",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        _id(),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_gallery"),
        sa.UniqueConstraint("name", name="uq_gallery_name"),
    )
    op.create_table(
        "gallery_template",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("tags", JSON_VALUE, nullable=False),
        sa.Column("component", JSON_DOCUMENT, nullable=False),
        _id(),
        sa.Column("gallery_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gallery_template"),
        sa.ForeignKeyConstraint(
            ["gallery_id"],
            ["gallery.id"],
            ondelete="CASCADE",
            name="fk_gallery_template_gallery_id_gallery",
        ),
        sa.UniqueConstraint("gallery_id", "key", name="uq_gallery_template_gallery_id_key"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", JSON_VALUE, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_setting"),
    )
    op.create_table(
        "secret",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("name", name="pk_secret"),
    )


def downgrade() -> None:
    for table in (
        "secret",
        "setting",
        "gallery_template",
        "gallery",
        "run_event",
        "run",
        "chat_session",
        "team_version",
        "team",
    ):
        op.drop_table(table)
