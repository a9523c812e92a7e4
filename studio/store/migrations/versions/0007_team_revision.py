"""Team `revision`: counts every write of a team, so a save based on an older one is refused (optimistic
concurrency); the builder draft keeps the revision it is based on (`team_revision`).

Revision ID: 0007_team_revision
Revises: 0006_endpoint_credentials
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_team_revision"
down_revision: str | None = "0006_endpoint_credentials"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("team") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("builder_draft") as batch:
        batch.add_column(sa.Column("team_revision", sa.Integer(), nullable=True))
    # A draft that matched its team is based on its first revision; others stay unknown (a save asks).
    op.execute("UPDATE builder_draft SET team_revision = 1 WHERE team_updated_at = "
               "(SELECT updated_at FROM team WHERE team.id = builder_draft.team_id)")


def downgrade() -> None:
    with op.batch_alter_table("builder_draft") as batch:
        batch.drop_column("team_revision")
    with op.batch_alter_table("team") as batch:
        batch.drop_column("revision")
