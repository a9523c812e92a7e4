"""Run: `recording` (model and user replies, for replay), `replay_of`, `fresh_start` and `notice`.

Revision ID: 0004_run_recording
Revises: 0003_builder_draft
Create Date: 2025-01-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_run_recording"
down_revision: str | None = "0003_builder_draft"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain columns with constant defaults: SQLite adds them in place (no table copy).
    with op.batch_alter_table("run") as batch:
        batch.add_column(sa.Column("replay_of", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("fresh_start", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch.add_column(sa.Column("notice", sa.Text(), server_default="", nullable=False))
        batch.add_column(
            sa.Column(
                "recording",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                server_default="{}",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("run") as batch:
        batch.drop_column("recording")
        batch.drop_column("notice")
        batch.drop_column("fresh_start")
        batch.drop_column("replay_of")
