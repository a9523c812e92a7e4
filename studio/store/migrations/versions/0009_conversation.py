"""A playground session's table is `conversation` (was `chat_session`) and a run points to it by
`conversation_id` (was `session_id`): "session" now means only a database session in the code.

Renamed in place, rows, ids and foreign keys kept: the indexes get their new names on both engines,
and on PostgreSQL the constraints and the id sequence too. SQLite keeps the old constraint names in its
stored table text, where nothing reads them (its foreign keys follow the renamed table by themselves).

Revision ID: 0009_conversation
Revises: 0008_trust_digests
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009_conversation"
down_revision: str | None = "0008_trust_digests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rename(old_table: str, new_table: str, old_column: str, new_column: str) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(f"ALTER TABLE {old_table} RENAME TO {new_table}")
    op.execute(f"ALTER TABLE run RENAME COLUMN {old_column} TO {new_column}")
    renamed_indexes = ((f"ix_{old_table}_team_id", f"ix_{new_table}_team_id", new_table, "team_id"),
                       (f"ix_run_{old_column}", f"ix_run_{new_column}", "run", new_column))
    for old, new, table, column in renamed_indexes:
        if postgres:
            op.execute(f"ALTER INDEX {old} RENAME TO {new}")
        else:
            op.drop_index(old, table_name=table)
            op.create_index(new, table, [column])
    if postgres:
        for table, old, new in ((new_table, f"pk_{old_table}", f"pk_{new_table}"),
                                (new_table, f"fk_{old_table}_team_id_team", f"fk_{new_table}_team_id_team"),
                                ("run", f"fk_run_{old_column}_{old_table}", f"fk_run_{new_column}_{new_table}")):
            op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}")
        op.execute(f"ALTER SEQUENCE IF EXISTS {old_table}_id_seq RENAME TO {new_table}_id_seq")


def upgrade() -> None:
    _rename("chat_session", "conversation", "session_id", "conversation_id")


def downgrade() -> None:
    _rename("conversation", "chat_session", "conversation_id", "session_id")
