"""builder_draft and builder_draft_step: the builder's undo/redo history per team, on the server.

Revision ID: 0003_builder_draft
Revises: 0002_team_layout
Create Date: 2025-01-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_builder_draft"
down_revision: str | None = "0002_team_layout"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # New tables only: plain CREATE TABLE works the same on SQLite and PostgreSQL (no batch mode needed).
    op.create_table(
        "builder_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("first_position", sa.Integer(), nullable=False),
        sa.Column("last_position", sa.Integer(), nullable=False),
        sa.Column("saved_position", sa.Integer(), nullable=False),
        sa.Column("team_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_builder_draft"),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], ondelete="CASCADE", name="fk_builder_draft_team_id_team"
        ),
        sa.UniqueConstraint("team_id", name="uq_builder_draft_team_id"),
    )
    op.create_table(
        "builder_draft_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),  # plain json: components keep their key order
        sa.PrimaryKeyConstraint("id", name="pk_builder_draft_step"),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["builder_draft.id"], ondelete="CASCADE",
            name="fk_builder_draft_step_draft_id_builder_draft",
        ),
        sa.UniqueConstraint("draft_id", "position", name="uq_builder_draft_step_draft_id_position"),
    )


def downgrade() -> None:
    op.drop_table("builder_draft_step")
    op.drop_table("builder_draft")
