"""The built-in gallery: team templates shipped in `gallery/`, copied into the database once.

Seeding remembers every template key it has ever added (the `gallery.seeded` setting), so a template the
user deleted does not come back on the next start, while templates added by a newer version still arrive.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from studio.components import validate_component
from studio.settings import Settings
from studio.store import galleries, preferences, session

logger = logging.getLogger(__name__)

BUILT_IN = "Built-in"
SEEDED_KEY = "gallery.seeded"


def read_templates(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """(key, component) for each valid team template file in `directory`, sorted by key.

    A file that is not valid JSON or not a valid team is skipped with a logged warning: the studio still starts.
    """
    templates = []
    for path in sorted(directory.glob("*.json")):
        try:
            component = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            logger.warning("gallery template %s skipped: %s", path.name, e)
            continue
        errors = [p for p in validate_component(component, kind="team") if p.severity == "error"]
        if errors:
            logger.warning("gallery template %s skipped: %s", path.name, errors[0])
            continue
        templates.append((path.stem, component))
    return templates


def seed_gallery_once(engine: Engine, settings: Settings) -> int:
    """Add the templates of `settings.gallery_dir` never seeded before; returns how many were added."""
    if not settings.gallery_dir.is_dir():
        return 0
    templates = read_templates(settings.gallery_dir)
    with session(engine) as db:
        seeded = set(preferences.get_setting(db, SEEDED_KEY, default=[]) or [])
        new = [(key, component) for key, component in templates if key not in seeded]
        if not new:
            return 0
        gallery = galleries.upsert_gallery(
            db, name=BUILT_IN, description="Templates that ship with Studio.", source=str(settings.gallery_dir)
        )
        for key, component in new:
            galleries.add_template(db, gallery_id=gallery.id, key=key, component=component)
        preferences.set_setting(db, SEEDED_KEY, sorted(seeded | {key for key, _ in new}))
    logger.info("gallery: %d template(s) added", len(new))
    return len(new)
