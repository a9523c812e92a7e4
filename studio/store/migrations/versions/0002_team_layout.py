"""Team.layout: the builder's node positions, kept beside the component rather than inside it.

Revision ID: 0002_team_layout
Revises: 0001_initial
Create Date: 2025-01-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_team_layout"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("team") as batch:
        batch.add_column(
            sa.Column(
                "layout",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                server_default="{}",  # a constant: SQLite adds the column in place
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("team") as batch:
        batch.drop_column("layout")
