"""Gallery: `url`, `meta` (AutoGen Studio's metadata) and `kind`; its items get `component_type`,
`unsupported`, `trusted` and `demo`. Galleries seeded before (the built-in one) become `built-in`, trusted.

Revision ID: 0005_gallery_items
Revises: 0004_run_recording
Create Date: 2025-01-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_gallery_items"
down_revision: str | None = "0004_run_recording"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_VALUE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain columns with constant defaults: SQLite adds them in place (no table copy).
    with op.batch_alter_table("gallery") as batch:
        batch.add_column(sa.Column("url", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("meta", JSON_VALUE, server_default="{}", nullable=False))
        batch.add_column(sa.Column("kind", sa.String(length=16), server_default="imported", nullable=False))
    with op.batch_alter_table("gallery_template") as batch:
        batch.add_column(sa.Column("component_type", sa.String(length=16), server_default="team", nullable=False))
        batch.add_column(sa.Column("unsupported", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("trusted", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("demo", sa.JSON(), nullable=True))
    # Until now only the shipped gallery was ever written (by seeding, as "Built-in").
    op.execute("UPDATE gallery SET kind = 'built-in' WHERE name = 'Built-in'")
    op.execute(
        "UPDATE gallery_template SET trusted = TRUE "
        "WHERE gallery_id IN (SELECT id FROM gallery WHERE kind = 'built-in')"
    )


def downgrade() -> None:
    with op.batch_alter_table("gallery_template") as batch:
        batch.drop_column("demo")
        batch.drop_column("trusted")
        batch.drop_column("unsupported")
        batch.drop_column("component_type")
    with op.batch_alter_table("gallery") as batch:
        batch.drop_column("kind")
        batch.drop_column("meta")
        batch.drop_column("url")
