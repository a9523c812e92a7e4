"""Credentials bound to endpoints: a `credential` table (kind, endpoint, encrypted key).

The keys saved before (secrets `openai_api_key` and `azure_api_key`, sent to every model client without a
key of its own) are moved to the endpoint they were used for: the OpenAI key to the saved base URL, or to
OpenAI's API when none was saved; the Azure key to the saved Azure endpoint (with none saved it is kept,
bound to no endpoint, and Settings asks for one). The saved base URL, Azure endpoint and API version
settings go: a credential's endpoint replaces them. Values are copied as they were; the app encrypts any
plaintext secret on start (`studio.store.crypto`, `secrets.seal_plaintext`).

Revision ID: 0006_endpoint_credentials
Revises: 0005_gallery_items
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_endpoint_credentials"
down_revision: str | None = "0005_gallery_items"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPENAI_API = "https://api.openai.com/v1"
JSON_VALUE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_setting = sa.table("setting", sa.column("key", sa.String()), sa.column("value", JSON_VALUE))
_secret = sa.table("secret", sa.column("name", sa.String()), sa.column("value", sa.Text()),
                   sa.column("updated_at", sa.DateTime(timezone=True)))
_OLD_SETTINGS = ("credentials.openai_base_url", "credentials.azure_endpoint", "credentials.azure_api_version")


def _credential_table() -> sa.TableClause:
    return sa.table("credential", sa.column("kind", sa.String()), sa.column("endpoint", sa.Text()),
                    sa.column("value", sa.Text()), sa.column("created_at", sa.DateTime(timezone=True)),
                    sa.column("updated_at", sa.DateTime(timezone=True)))


def _endpoint(url: str) -> str:
    from studio.runtime.models.endpoints import try_endpoint

    parsed = try_endpoint(url)
    return str(parsed) if parsed is not None else url.strip()


def upgrade() -> None:
    op.create_table(
        "credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_credential"),
        sa.UniqueConstraint("kind", "endpoint", name="uq_credential_kind_endpoint"),
    )
    bind = op.get_bind()
    settings = {row.key: row.value for row in bind.execute(
        sa.select(_setting.c.key, _setting.c.value).where(_setting.c.key.in_(_OLD_SETTINGS)))}
    keys = {row.name: row.value for row in bind.execute(
        sa.select(_secret.c.name, _secret.c.value).where(_secret.c.name.in_(("openai_api_key", "azure_api_key"))))}
    now = datetime.now(UTC)
    rows = []
    if keys.get("openai_api_key"):
        base = settings.get("credentials.openai_base_url")
        base = base.strip() if isinstance(base, str) and base.strip() else None
        rows.append({"kind": "openai_compatible" if base else "openai", "endpoint": _endpoint(base or OPENAI_API),
                     "value": keys["openai_api_key"], "created_at": now, "updated_at": now})
    if keys.get("azure_api_key"):
        endpoint = settings.get("credentials.azure_endpoint")
        endpoint = endpoint.strip() if isinstance(endpoint, str) else ""
        rows.append({"kind": "azure", "endpoint": _endpoint(endpoint) if endpoint else "",
                     "value": keys["azure_api_key"], "created_at": now, "updated_at": now})
    if rows:
        op.bulk_insert(_credential_table(), rows)
    op.execute(_secret.delete().where(_secret.c.name.in_(("openai_api_key", "azure_api_key"))))
    op.execute(_setting.delete().where(_setting.c.key.in_(_OLD_SETTINGS)))


def downgrade() -> None:
    """Back to one unbound key per client family (the first credential of each), and its URL as the setting.
    Values are copied as stored: encrypted ones (`fernet:...`) are not readable by the code of revision 5."""
    bind = op.get_bind()
    table = _credential_table()
    rows = list(bind.execute(sa.select(table.c.kind, table.c.endpoint, table.c.value).order_by(sa.text("id"))))
    now = datetime.now(UTC)
    done: set[str] = set()
    for row in rows:
        name, setting = (("azure_api_key", "credentials.azure_endpoint") if row.kind == "azure"
                         else ("openai_api_key", "credentials.openai_base_url"))
        if name in done:
            continue
        done.add(name)
        op.bulk_insert(_secret, [{"name": name, "value": row.value, "updated_at": now}])
        if row.endpoint and row.kind != "openai":
            op.bulk_insert(_setting, [{"key": setting, "value": row.endpoint}])
    op.drop_table("credential")
