"""Trust covers everything a team executes: the digests of tool code now include its `global_imports` and
the variables it reads (`studio.services.trust`), under new keys `trust.imported` and `trust.trusted`.

Each FunctionTool in a stored team, version, draft step or gallery item whose old hash (sha256 of its stripped
source) was imported or trusted gets its new digest in the same set. What an imported gallery's items
execute beyond tool code (code executors, commands), untracked before, is noted as imported; teams keep
what they had (their origin was not recorded). Downgrade keeps the new keys (revision 7 reads the old ones,
which upgrade leaves as they were).

Revision ID: 0008_trust_digests
Revises: 0007_team_revision
Create Date: 2026-12-03
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008_trust_digests"
down_revision: str | None = "0007_team_revision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_VALUE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_setting = sa.table("setting", sa.column("key", sa.String()), sa.column("value", JSON_VALUE))
FUNCTION_TOOL = "autogen_core.tools.FunctionTool"
# The digests as `studio.services.trust` defines them at this revision (a migration keeps its own copy).


def _digest(kind: str, runs: dict[str, Any]) -> str:
    text = json.dumps({"kind": kind, **runs}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _envelopes(document: Any) -> Iterator[dict[str, Any]]:
    if isinstance(document, dict):
        if isinstance(document.get("provider"), str) and isinstance(document.get("config"), dict):
            yield document
        for value in document.values():
            yield from _envelopes(value)
    elif isinstance(document, list):
        for value in document:
            yield from _envelopes(value)


def _tools(document: Any) -> Iterator[tuple[str, str]]:
    """(old hash, new digest) of each FunctionTool."""
    for envelope in _envelopes(document):
        config, source = envelope["config"], envelope["config"].get("source_code")
        if envelope["provider"] == FUNCTION_TOOL and isinstance(source, str):
            runs = {"source_code": source.strip(), "global_imports": config.get("global_imports") or [],
                    "variables": sorted(config.get("variables") or [])}
            yield hashlib.sha256(source.strip().encode("utf-8")).hexdigest(), _digest("tool code", runs)


def _executors(document: Any) -> Iterator[str]:
    for envelope in _envelopes(document):
        if envelope.get("component_type") == "code_executor":
            yield _digest("code executor", {"config": envelope["config"]})


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _read(bind: sa.Connection, key: str) -> set[str]:
    value = _json(bind.execute(sa.select(_setting.c.value).where(_setting.c.key == key)).scalar())
    return {h for h in value if isinstance(h, str)} if isinstance(value, list) else set()


def upgrade() -> None:
    bind = op.get_bind()
    old_imported, old_trusted = _read(bind, "tools.imported"), _read(bind, "tools.trusted")
    imported, trusted = set(), set()
    queries = [f"SELECT component FROM {table}" for table in ("team", "team_version", "gallery_template")]
    queries.append("SELECT snapshot FROM builder_draft_step")  # {component, layout}
    for query in queries:
        for (component,) in bind.execute(sa.text(query)):
            for old, new in _tools(_json(component)):
                if old in old_trusted:
                    trusted.add(new)
                elif old in old_imported:
                    imported.add(new)
    from_imported_galleries = ("SELECT t.component FROM gallery_template t JOIN gallery g ON g.id = t.gallery_id "
                               "WHERE g.kind = 'imported' AND NOT t.trusted")
    for (component,) in bind.execute(sa.text(from_imported_galleries)):
        imported.update(_executors(_json(component)))
    for key, digests in (("trust.imported", imported - trusted), ("trust.trusted", trusted)):
        if digests:
            op.execute(_setting.delete().where(_setting.c.key == key))
            op.bulk_insert(_setting, [{"key": key, "value": sorted(digests)}])


def downgrade() -> None:
    op.execute(_setting.delete().where(_setting.c.key.in_(("trust.imported", "trust.trusted"))))
