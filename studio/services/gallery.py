"""The built-in gallery: team templates shipped in `gallery/teams/` (with their demo recordings) and the single
components of `gallery/components/`, copied into the database once, trusted.

Seeding remembers every template key it has ever added (the `gallery.seeded` setting), so a template the
user deleted does not come back on the next start, while templates added by a newer version still arrive.

Layout of the gallery directory (see `gallery/README.md`): `teams/<key>.json` (a team component plus its
`tags`), `demos/<key>.json` (the scripted replies of its demo), `components/<group>/*.json` (single
components for the builder's library) and `index.json`, the same content as one AutoGen Studio gallery file.
"""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from studio.components import validate_component
from studio.settings import Settings
from studio.store import galleries, preferences, session
from studio.store.models import GalleryKind
from studio.store.types import id_of

from . import trust
from .credentials import mcp_server_params

logger = logging.getLogger(__name__)

BUILT_IN = "Built-in"
SEEDED_KEY = "gallery.seeded"
TAGS = "tags"
"""Top-level key of a template file holding its tags: AutoGen's loader ignores unknown envelope keys."""
COMPONENT_GROUPS = ("agents", "models", "tools", "terminations")
GROUP_TYPES = {"agents": "agent", "models": "model", "tools": "tool", "terminations": "termination"}
INDEX_ID = "studio-built-in"


def read_templates(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """(key, component) for each valid team template file in `directory/teams`, sorted by key.

    A file that is not valid JSON or not a valid team is skipped with a logged warning: the studio still starts.
    The component keeps its `tags` key (`template_tags` reads it).
    """
    templates = []
    for path in sorted((directory / "teams").glob("*.json")):
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


def template_tags(component: dict[str, Any]) -> list[str]:
    """The tags written beside a template's envelope (strings only), in file order."""
    tags = component.get(TAGS)
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def without_tags(component: dict[str, Any]) -> dict[str, Any]:
    """The team component as AutoGen sees it: the envelope without the gallery's `tags` key."""
    return {k: v for k, v in component.items() if k != TAGS}


def read_demo(settings: Settings, key: str) -> dict[str, Any] | None:
    """The demo recording shipped for template `key` (`demos/<key>.json`), or None when there is none."""
    if not key or "/" in key or "\\" in key or key.startswith("."):
        return None
    path = settings.gallery_dir / "demos" / f"{key}.json"
    try:
        demo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return demo if isinstance(demo, dict) else None


def read_components(directory: Path) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """(key, component) of each file in `directory/components/<group>/`, per group, sorted by key.

    Unreadable files are skipped with a logged warning, like templates.
    """
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for group in COMPONENT_GROUPS:
        found[group] = []
        for path in sorted((directory / "components" / group).glob("*.json")):
            try:
                component = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                logger.warning("gallery component %s skipped: %s", path.name, e)
                continue
            if isinstance(component, dict):
                found[group].append((path.stem, component))
    return found


def build_index(directory: Path) -> dict[str, Any]:
    """The shipped gallery as one AutoGen Studio gallery file (what `index.json` must hold)."""
    templates = read_templates(directory)
    tags = sorted({tag for _, component in templates for tag in template_tags(component)})
    return {
        "id": INDEX_ID,
        "name": "Studio built-in gallery",
        "url": None,
        "metadata": {
            "author": "Studio",
            "version": "1.0.0",
            "description": "Team templates that teach every team pattern, each with a demo that runs without a key.",
            "tags": tags,
            "license": "MIT",
            "homepage": None,
            "category": "templates",
        },
        "components": {
            "teams": [component for _, component in templates],
            **{group: [c for _, c in items] for group, items in read_components(directory).items()},
            "workbenches": [],
        },
    }


def located(component: dict[str, Any], directory: Path) -> dict[str, Any]:
    """A copy of a template whose MCP stdio servers' relative `cwd` (`gallery/mcp`, as AutoGen run from the
    project's root finds it) is made absolute against the directory that holds the gallery `directory`, so the
    server ships with the gallery and starts wherever the studio runs."""
    located = copy.deepcopy(component)
    for params in mcp_server_params(located):
        cwd = params.get("cwd")
        if params.get("type") == "StdioServerParams" and isinstance(cwd, str) and cwd and not Path(cwd).is_absolute():
            params["cwd"] = str((directory.resolve().parent / cwd).resolve())
    return located


def seed_gallery_once(engine: Engine, settings: Settings) -> int:
    """Add the templates and single components of `settings.gallery_dir` never seeded before (trusted, with
    their demo recordings); returns how many items were added.

    Single components are keyed `<group>/<file stem>` (e.g. `agents/assistant`), team templates by stem.
    """
    if not settings.gallery_dir.is_dir():
        return 0
    items = [(key, "team", located(component, settings.gallery_dir))
             for key, component in read_templates(settings.gallery_dir)]
    items += [(f"{group}/{key}", GROUP_TYPES[group], component)
              for group, found in read_components(settings.gallery_dir).items() for key, component in found]
    with session(engine) as db:
        seeded = set(preferences.get_setting(db, SEEDED_KEY, default=[]) or [])
        new = [item for item in items if item[0] not in seeded]
        if not new:
            return 0
        index = build_index(settings.gallery_dir)
        gallery = galleries.upsert_gallery(
            db, name=BUILT_IN, description="Templates that ship with Studio.", source=str(settings.gallery_dir),
            kind=GalleryKind.BUILT_IN, meta=index["metadata"],
        )
        for key, kind, component in new:
            galleries.add_template(db, gallery_id=id_of(gallery), key=key, component=without_tags(component),
                                   tags=template_tags(component), component_type=kind, trusted=True,
                                   demo=read_demo(settings, key) if kind == "team" else None)
            trust.trust_all(db, component)
        preferences.set_setting(db, SEEDED_KEY, sorted(seeded | {key for key, _, _ in new}))
    logger.info("gallery: %d item(s) added", len(new))
    return len(new)


if __name__ == "__main__":  # regenerate gallery/index.json after editing the templates
    from studio.settings import get_settings

    index = get_settings().gallery_dir / "index.json"
    index.write_text(json.dumps(build_index(index.parent), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {index}")
